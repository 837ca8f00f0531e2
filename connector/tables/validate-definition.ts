import { z } from 'zod';
import { formatRank, type DataFormat } from '../contract';
import { ApiError } from '../errors';
import type { FieldDefinition, TableDefinition } from './definition';

// Definitions come from files an operator may write by hand, so every mistake is reported with
// the file and the place in it, before the connector serves anything.

export const TABLE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

const DATA_FORMATS = ['basic', 'standard', 'detail', 'expanded'] as const;
const SCALAR_TYPES = ['string', 'number', 'boolean', 'date', 'coded'] as const;

const PickSchema = z.strictObject({ from: z.string().min(1), match: z.string().min(1), take: z.string().min(1) });

const FieldSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  type: z.enum([...SCALAR_TYPES, 'table']),
  format: z.enum(DATA_FORMATS).optional(),
  get fields() {
    return z.array(FieldSchema).optional();
  },
  hidden: z.boolean().optional(),
  from: z.strictObject({ lookup: z.string().min(1), pick: PickSchema.optional() }).optional(),
  description: z.string().optional(),
});

type RawField = z.infer<typeof FieldSchema>;

const DefinitionSchema = z.strictObject({
  id: z.string(),
  title: z.string().trim().min(1),
  section: z.string().trim().min(1),
  description: z.string().optional(),
  key: z.string().min(1),
  scope: z.strictObject({
    by: z.enum(['organization', 'team', 'warehouse', 'none']),
    field: z.string().min(1).optional(),
  }),
  lookups: z
    .record(
      z.string().min(1),
      z.strictObject({
        setting: z.enum(['warehouse', 'priceCustomer']),
        table: z.string().min(1).optional(),
        field: z.string().min(1).optional(),
      }),
    )
    .optional(),
  fields: z.array(FieldSchema).min(1),
});

/** Checks one definition on its own (references to other tables are checked by the catalog). */
export function validateDefinition(raw: unknown, source: string): TableDefinition {
  const parsed = DefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    throw definitionError(source, `${issue.message}${where}`);
  }
  const input = parsed.data;
  const fail = (message: string): never => {
    throw definitionError(source, message);
  };
  if (!TABLE_ID.test(input.id)) {
    fail(`id "${input.id}" must be 1-63 lower-case letters, digits and dashes, starting with a letter or digit`);
  }
  const fields = input.fields.map((field) => normalizeField(field, undefined, fail));
  checkUniqueNames(fields, 'the table', fail);

  const key = fields.find((field) => field.name === input.key);
  if (!key) fail(`key "${input.key}" is not one of its fields`);
  else if ((key.type !== 'string' && key.type !== 'number') || key.format !== 'basic' || key.hidden || key.from) {
    fail(`key field "${key.name}" must be a stored, shown string or number field of format "basic"`);
  }

  const scope = input.scope.by === 'none' ? { by: 'none' as const } : { by: input.scope.by, field: input.scope.field };
  if (scope.by !== 'none') {
    if (!scope.field) fail(`a scope by ${scope.by} needs the row "field" that holds it`);
    const declared = fields.find((field) => field.name === scope.field);
    if (declared && (declared.type !== 'string' || declared.from)) {
      fail(`scope field "${scope.field}" must be a stored string field when it is also a column`);
    }
  }

  const lookups = input.lookups ?? {};
  for (const [name, lookup] of Object.entries(lookups)) {
    if ((lookup.table === undefined) !== (lookup.field === undefined)) {
      fail(`lookup "${name}" needs both "table" and "field", or neither`);
    }
  }
  for (const field of fields) checkDerived(field, fields, lookups, fail);

  return {
    id: input.id,
    title: input.title,
    section: input.section,
    ...(input.description !== undefined && { description: input.description }),
    key: input.key,
    fields,
    scope,
    ...(input.lookups !== undefined && { lookups }),
  };
}

export function definitionError(source: string, message: string): ApiError {
  return new ApiError('invalid_request', `Table definition ${source}: ${message}.`);
}

function normalizeField(raw: RawField, parent: FieldDefinition | undefined, fail: (message: string) => never): FieldDefinition {
  const label = parent ? `"${parent.name}.${raw.name}"` : `"${raw.name}"`;
  const format: DataFormat | undefined = raw.format ?? parent?.format;
  if (!format) fail(`field ${label} needs a "format"`);
  if (parent && formatRank(format!) < formatRank(parent.format)) {
    fail(`field ${label} cannot have a lower format than its sub-resource ("${parent.format}")`);
  }
  const field: FieldDefinition = { name: raw.name, type: raw.type, format: format! };
  if (raw.hidden) field.hidden = true;
  if (raw.from) field.from = raw.from;
  if (raw.description !== undefined) field.description = raw.description;
  if (raw.type === 'table') {
    if (parent) fail(`field ${label}: a sub-resource cannot hold another sub-resource`);
    if (!raw.fields || raw.fields.length === 0) fail(`sub-resource ${label} needs its own "fields"`);
    if (raw.from) fail(`sub-resource ${label} cannot be derived`);
    field.fields = raw.fields!.map((sub) => normalizeField(sub, field, fail));
    checkUniqueNames(field.fields, `sub-resource ${label}`, fail);
  } else if (raw.fields) {
    fail(`field ${label} has "fields" but is not of type "table"`);
  }
  if (parent && (raw.hidden || raw.from)) fail(`field ${label}: only a table's own fields can be hidden or derived`);
  return field;
}

// Excel table headers are case-insensitive, so two names differing only in case would collide there.
function checkUniqueNames(fields: FieldDefinition[], where: string, fail: (message: string) => never): void {
  const seen = new Set<string>();
  for (const field of fields) {
    const folded = field.name.toLowerCase();
    if (seen.has(folded)) fail(`${where} declares the field "${field.name}" twice (names are case-insensitive)`);
    seen.add(folded);
  }
}

function checkDerived(
  field: FieldDefinition,
  fields: FieldDefinition[],
  lookups: NonNullable<TableDefinition['lookups']>,
  fail: (message: string) => never,
): void {
  if (!field.from) return;
  const { lookup, pick } = field.from;
  if (!Object.hasOwn(lookups, lookup)) fail(`field "${field.name}" uses the undeclared lookup "${lookup}"`);
  if (field.hidden) fail(`field "${field.name}" cannot be both hidden and derived`);
  if (!pick) return;
  const source = fields.find((candidate) => candidate.name === pick.from);
  if (!source || source.type !== 'table' || source.from) {
    fail(`field "${field.name}" picks from "${pick.from}", which is not a stored sub-resource of the table`);
  }
  for (const name of [pick.match, pick.take]) {
    if (!source!.fields!.some((sub) => sub.name === name)) {
      fail(`field "${field.name}" picks "${name}", which "${pick.from}" does not have`);
    }
  }
}
