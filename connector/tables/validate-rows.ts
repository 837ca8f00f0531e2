import { invalidRequest } from '../errors';
import type { StoredRow } from '../store/types';
import type { FieldDefinition, TableDefinition } from './definition';

// Rows to import, checked against their table's definition. One bad value refuses the whole batch,
// with a message naming the row's index (0 = the first row) and the field.

/** Whether an organization or team id exists; leave out to skip the check. */
export type ScopeIdCheck = (by: 'organization' | 'team', id: string) => boolean;

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function validateRows(definition: TableDefinition, input: unknown, scopeIdExists?: ScopeIdCheck): StoredRow[] {
  if (!Array.isArray(input)) throw invalidRequest('Field "rows": expected an array of rows.');
  const fields = new Map(definition.fields.map((field) => [field.name, field]));
  const firstIndexOfKey = new Map<string, number>();
  return input.map((raw, index) => {
    const row = validateRow(definition, fields, raw, index, scopeIdExists);
    const key = String(row[definition.key]);
    const earlier = firstIndexOfKey.get(key);
    if (earlier !== undefined) {
      throw invalidRequest(`Row ${index}, field "${definition.key}": the key "${key}" is already used by row ${earlier}.`);
    }
    firstIndexOfKey.set(key, index);
    return row;
  });
}

function validateRow(
  definition: TableDefinition,
  fields: ReadonlyMap<string, FieldDefinition>,
  raw: unknown,
  index: number,
  scopeIdExists: ScopeIdCheck | undefined,
): StoredRow {
  if (!isPlainObject(raw)) throw invalidRequest(`Row ${index}: expected an object of field values.`);
  const fail = (path: string, problem: string) => invalidRequest(`Row ${index}, field "${path}": ${problem}.`);
  const scope = definition.scope;
  const row: StoredRow = {};
  for (const [name, value] of Object.entries(raw)) {
    const field = fields.get(name);
    if (field?.from) throw fail(name, 'it is computed for each viewer, so leave it out');
    if (field) row[name] = checkValue(field, value, name, fail);
    else if (name === scope.field) row[name] = value;
    else throw fail(name, `table "${definition.id}" has no such field; its importable fields are ${importableFields(definition).join(', ')}`);
  }

  const key = row[definition.key];
  if (key === null || key === undefined || (typeof key === 'string' && key.trim() === '')) {
    throw fail(definition.key, 'the key is required');
  }
  // URLs fold "." and ".." path segments away, so /rows/:key could never read or delete such a row.
  if (key === '.' || key === '..') throw fail(definition.key, `the key "${key}" cannot be used in a URL; choose another`);
  if (scope.by !== 'none' && scope.field) {
    const owner = row[scope.field];
    const noun = scope.by === 'warehouse' ? 'warehouse code' : `${scope.by} id`;
    if (typeof owner !== 'string' || owner.trim() === '') throw fail(scope.field, `expected the ${noun} the row belongs to`);
    if (scope.by !== 'warehouse' && scopeIdExists && !scopeIdExists(scope.by, owner)) {
      throw fail(scope.field, `there is no ${scope.by} "${owner}"`);
    }
  }
  return row;
}

/** What an import may carry: every declared field not computed per viewer, and the row's scope field. */
export function importableFields(definition: TableDefinition): string[] {
  const names = definition.fields.filter((field) => !field.from).map((field) => field.name);
  const scopeField = definition.scope.field;
  return scopeField && !names.includes(scopeField) ? [...names, scopeField] : names;
}

type Fail = (path: string, problem: string) => Error;

function checkValue(field: FieldDefinition, value: unknown, path: string, fail: Fail): unknown {
  if (value === null || value === undefined) return null;
  if (field.type === 'table') return checkSubResource(field, value, path, fail);
  if (!hasType(field.type, value)) throw fail(path, `expected ${describeType(field.type)}`);
  return value;
}

function checkSubResource(field: FieldDefinition, value: unknown, path: string, fail: Fail): StoredRow[] {
  if (!Array.isArray(value)) throw fail(path, 'expected an array of objects');
  const subFields = new Map((field.fields ?? []).map((sub) => [sub.name, sub]));
  return value.map((entry, position) => {
    if (!isPlainObject(entry)) throw fail(`${path}[${position}]`, 'expected an object');
    const out: StoredRow = {};
    for (const [name, subValue] of Object.entries(entry)) {
      const sub = subFields.get(name);
      if (!sub) {
        const names = (field.fields ?? []).map((candidate) => candidate.name).join(', ');
        throw fail(`${path}[${position}].${name}`, `"${field.name}" has no such field; its fields are ${names}`);
      }
      out[name] = checkValue(sub, subValue, `${path}[${position}].${name}`, fail);
    }
    return out;
  });
}

function hasType(type: FieldDefinition['type'], value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'coded':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && isIsoDate(value);
    case 'table':
      return Array.isArray(value);
  }
}

export function describeType(type: FieldDefinition['type']): string {
  switch (type) {
    case 'string':
      return 'a string';
    case 'coded':
      return 'a string such as "01 - John Smith"';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'an ISO 8601 date such as "2024-05-31"';
    case 'table':
      return 'an array of objects';
  }
}

function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const day = new Date(`${match[1]}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(match[1]) && !Number.isNaN(Date.parse(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
