import { z } from '@hono/zod-openapi';
import { DEFAULT_FORMAT, DEFAULT_PAGE_LIMIT, FORMATS, MAX_PAGE_LIMIT } from '../contract';

// The data routes' shapes, for the OpenAPI document. Route groups share them so that /v1 and
// /admin describe a table the same way.

export const ColumnSchema = z
  .object({
    name: z.string(),
    type: z.enum(['string', 'number', 'boolean', 'date', 'coded', 'table']),
    get columns() {
      return z.array(ColumnSchema).optional().openapi({ description: 'A sub-resource\'s own columns (type "table").' });
    },
  })
  .openapi('Column');

const DATA_FORMATS = FORMATS.filter((format) => format !== 'none');
const FormatSchema = z.enum(DATA_FORMATS);

export const RowSchema = z
  .record(z.string(), z.unknown())
  .openapi('Row', {
    description:
      'Field values by column name. A coded field is its display text ("01 - John Smith"), or at `expanded` {"Code", "DisplayAs"}; a sub-resource is an array of rows.',
    example: { Code: 'C0001', Name: 'Blue Harbor Bakery', 'Sales Rep': '01 - John Smith' },
  });

export const TableParams = z.object({
  table: z.string().openapi({ param: { name: 'table', in: 'path' }, example: 'customers' }),
});

export const RowParams = TableParams.extend({
  key: z.string().openapi({ param: { name: 'key', in: 'path' }, example: 'C0001', description: 'The row\'s primary key.' }),
});

// `format` and `limit` stay strings here and are parsed by the read-table service, which checks
// them after the table and the grant (an unknown table is 404 whatever the format); the document
// still gives their real types.
export const FormatQuery = z.object({
  format: z.string().optional().openapi({
    param: { name: 'format', in: 'query' },
    type: 'string',
    enum: DATA_FORMATS,
    default: DEFAULT_FORMAT,
    description: 'At most the caller\'s grant (403 `tier_not_granted` above it).',
    example: 'standard',
  }),
});

export const PageQuery = FormatQuery.extend({
  limit: z.string().optional().openapi({
    param: { name: 'limit', in: 'query' },
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_PAGE_LIMIT,
    description: 'Rows per page (more than the maximum is 400 `invalid_request`).',
    example: 1000,
  }),
  cursor: z.string().optional().openapi({
    param: { name: 'cursor', in: 'query' },
    description:
      'The `nextCursor` of the previous page; leave out for the first page. Only good with the same table, format, fields and filters (else 400 `invalid_request`).',
  }),
  fields: z.string().optional().openapi({
    param: { name: 'fields', in: 'query' },
    description:
      'Comma-separated top-level columns of the format to send (a sub-resource included); they come in the table\'s order and the key is always among them. A name that is not a column of the format is 400 `invalid_request`.',
    example: 'Code,Name,Sales Rep',
  }),
  // Read by the route from the raw query (filterParams): listed here for the API reference only.
  filter: z
    .record(z.string(), z.string())
    .optional()
    .openapi({
      param: { name: 'filter', in: 'query', style: 'deepObject', explode: true },
      description:
        '`filter[FIELD]=VALUE`, repeatable for different fields, all must hold: rows whose FIELD equals VALUE as the field\'s type (strings exactly, numbers numerically, booleans `true`/`false`, dates `YYYY-MM-DD`; a coded field matches its code or its display form). Only a scalar column of the requested format; anything else is 400 `invalid_request` naming the field.',
      example: { 'Sales Rep': '01', Active: 'true' },
    }),
});

export const TablePageSchema = z
  .object({
    table: z.string(),
    format: FormatSchema,
    columns: z.array(ColumnSchema),
    rows: z.array(RowSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('TablePage');

export const SingleRowSchema = z
  .object({ table: z.string(), format: FormatSchema, columns: z.array(ColumnSchema), row: RowSchema })
  .openapi('TableRow');

export const TableListSchema = z
  .object({
    tables: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        section: z.string(),
        maxFormat: FormatSchema,
        formats: z.array(FormatSchema),
      }),
    ),
  })
  .openapi('TableList');

const FieldDefinitionSchema = z
  .object({
    name: z.string(),
    type: z.enum(['string', 'number', 'boolean', 'date', 'coded', 'table']),
    format: FormatSchema.openapi({ description: 'The lowest format that shows the field.' }),
    get fields() {
      return z.array(FieldDefinitionSchema).optional();
    },
    hidden: z.boolean().optional().openapi({ description: 'Stored and imported, never shown.' }),
    from: z
      .object({
        lookup: z.string(),
        pick: z.object({ from: z.string(), match: z.string(), take: z.string() }).optional(),
      })
      .optional()
      .openapi({ description: 'Computed per viewer from a lookup; absent when the viewer\'s setting is blank.' }),
    description: z.string().optional(),
  })
  .openapi('FieldDefinition');

export const TableDefinitionSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    section: z.string(),
    description: z.string().optional(),
    key: z.string(),
    fields: z.array(FieldDefinitionSchema),
    scope: z.object({ by: z.enum(['organization', 'team', 'warehouse', 'none']), field: z.string().optional() }),
    lookups: z
      .record(z.string(), z.object({ setting: z.enum(['warehouse', 'priceCustomer']), table: z.string().optional(), field: z.string().optional() }))
      .optional(),
  })
  .openapi('TableDefinition');

export const ImportBody = z
  .object({
    rows: z.array(z.unknown()).openapi({
      description: 'Rows to upsert by key. Coded fields in display form ("01 - John Smith"), sub-resources as arrays of objects, the scope field as a plain id.',
    }),
  })
  .strict()
  .openapi('TableImport');
