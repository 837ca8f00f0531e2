import { createRoute } from '@hono/zod-openapi';
import type { SingleRow, TablePage, TableSummary } from '../contract';
import type { Services } from '../deps';
import { dataRoute, pathParam, sendJson } from '../http/data-route';
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

/** The data routes' answers, over the read-table service: the OpenAPI routes below and the /v1 hot path send them. */
export function tableAnswers(services: Services) {
  return {
    list: dataRoute(listTables, (_c, { user }) => JSON.stringify({ tables: listReadableTables(services, user) })),
    page: dataRoute(readPage, (c, reader, { filter: _documentedOnly, ...query }) =>
      readTablePageJson(services, reader, pathParam(c, 'table'), { ...query, filters: filterParams(c.req.queries()) }),
    ),
    row: dataRoute(readRow, async (c, reader, query) =>
      JSON.stringify(await readTableRow(services, reader, pathParam(c, 'table'), pathParam(c, 'key'), query.format)),
    ),
  };
}

/** `/v1/tables...`: thin adapters over the answers above. */
export function tableRoutes(services: Services) {
  const { list, page, row } = tableAnswers(services);
  const above = services.config.compressAboveBytes;
  return newRouter()
    .openapi(listTables, async (c) => sendJson<{ tables: TableSummary[] }>(c, await list.answer(c, userPrincipal(c.get('principal')), {}), above))
    .openapi(readPage, async (c) => sendJson<TablePage>(c, await page.answer(c, userPrincipal(c.get('principal')), c.req.valid('query')), above))
    .openapi(readRow, async (c) => sendJson<SingleRow>(c, await row.answer(c, userPrincipal(c.get('principal')), c.req.valid('query')), above));
}
