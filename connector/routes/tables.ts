import { createRoute } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { TablePage } from '../contract';
import type { Services } from '../deps';
import { guardedErrors, json, newRouter, SECURED } from '../http/router';
import { userPrincipal } from '../security/principal';
import { listReadableTables, readTablePageJson, readTableRow } from '../tables/read-table';
import { filterParams } from '../tables/selection';
import { FormatQuery, PageQuery, RowParams, SingleRowSchema, TableListSchema, TablePageSchema, TableParams } from './table-schemas';

const listTables = createRoute({
  method: 'get',
  path: '/v1/tables',
  operationId: 'listReadableTables',
  tags: ['Data'],
  summary: 'The tables the caller may read, with the formats granted',
  security: SECURED,
  responses: {
    200: json(TableListSchema, 'Readable tables (no `none` grants)'),
    ...guardedErrors(),
  },
});

const readPage = createRoute({
  method: 'get',
  path: '/v1/tables/{table}',
  operationId: 'readTablePage',
  tags: ['Data'],
  summary: 'One page of a table\'s rows the caller may see, in a format',
  description:
    'Rows come in a stable order by primary key; following `nextCursor` until it is null yields every visible row exactly once. ' +
    '`fields` narrows the columns and `filter[FIELD]` the rows; a cursor is bound to the table, format, fields and filters that issued it. ' +
    '403 `no_access` when the grant is `none`, 403 `tier_not_granted` above the grant, 404 `not_found` for no such table.',
  security: SECURED,
  request: { params: TableParams, query: PageQuery },
  responses: {
    200: json(TablePageSchema, 'A page of rows'),
    ...guardedErrors(404),
  },
});

const readRow = createRoute({
  method: 'get',
  path: '/v1/tables/{table}/rows/{key}',
  operationId: 'readTableRow',
  tags: ['Data'],
  summary: 'One row by primary key',
  description: 'A row the caller may not see is 404 `not_found`, exactly as a row that does not exist.',
  security: SECURED,
  request: { params: RowParams, query: FormatQuery },
  responses: {
    200: json(SingleRowSchema, 'The row'),
    ...guardedErrors(404),
  },
});

/** `/v1/tables...`: thin adapters over the read-table service. */
export function tableRoutes(services: Services) {
  return newRouter()
    .openapi(listTables, (c) => {
      const { user } = userPrincipal(c.get('principal'));
      return c.json({ tables: listReadableTables(services, user) }, 200);
    })
    .openapi(readPage, async (c) => {
      const reader = userPrincipal(c.get('principal'));
      const { filter: _documentedOnly, ...query } = c.req.valid('query');
      const page = await readTablePageJson(services, reader, c.req.valid('param').table, { ...query, filters: filterParams(c.req.queries()) });
      return pageJson(c, page);
    })
    .openapi(readRow, async (c) => {
      const reader = userPrincipal(c.get('principal'));
      const { table, key } = c.req.valid('param');
      return c.json(await readTableRow(services, reader, table, key, c.req.valid('query').format), 200);
    });
}

/**
 * A page already serialized by `readTablePageJson` (rows serialized once per format): the very JSON
 * c.json() would send for the page, so it is typed as that response.
 */
function pageJson(c: Context, json: string) {
  // As bytes: Node would otherwise prepend the headers to a multi-megabyte string (another copy).
  return c.body(Buffer.from(json, 'utf8'), 200, { 'Content-Type': 'application/json' }) as unknown as TypedResponse<JSONParsed<TablePage>, 200, 'json'>;
}
