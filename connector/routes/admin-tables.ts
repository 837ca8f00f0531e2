import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../deps';
import { forbidden } from '../errors';
import type { AppEnv } from '../http/app-env';
import { actorOf } from '../http/actor';
import { ADMIN_SECURED, guardedErrors, json, jsonBody, newRouter, noContent } from '../http/router';
import { isSystemAdmin } from '../security/principal';
import { deleteTableRow, importTableRows } from '../tables/admin-rows';
import { ImportBody, RowParams, TableDefinitionSchema, TableParams } from './table-schemas';

/**
 * The services refuse anyone but a system admin; this refuses them before body validation too, so
 * a caller who may not import learns nothing about the rows' shape.
 */
const systemAdminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isSystemAdmin(c.get('principal'))) throw forbidden('Only system admins may manage table data.');
  await next();
};

const common = { tags: ['Admin: tables'], security: ADMIN_SECURED, middleware: [systemAdminOnly] };

const listDefinitions = createRoute({
  ...common,
  method: 'get',
  path: '/admin/tables',
  operationId: 'listTableDefinitions',
  summary: 'Every table definition, fields and scope included (system admins)',
  responses: { 200: json(z.object({ tables: z.array(TableDefinitionSchema) }), 'Table definitions'), ...guardedErrors() },
});

const upsertRows = createRoute({
  ...common,
  method: 'post',
  path: '/admin/tables/{table}/rows',
  operationId: 'importTableRows',
  summary: 'Upsert rows by key, all or nothing (system admins)',
  description: 'Every row is validated against the table definition first; a bad row is 400 naming its index (0 = first) and field, and nothing is stored.',
  request: { params: TableParams, body: jsonBody(ImportBody) },
  responses: { 200: json(z.object({ upserted: z.number().int() }), 'How many rows were stored'), ...guardedErrors(404) },
});

const deleteRow = createRoute({
  ...common,
  method: 'delete',
  path: '/admin/tables/{table}/rows/{key}',
  operationId: 'deleteTableRow',
  summary: 'Delete one row (system admins)',
  request: { params: RowParams },
  responses: { 204: noContent('Deleted'), ...guardedErrors(404) },
});

/** `/admin/tables...`: table definitions and row imports, for system admins only. */
export function adminTableRoutes(services: Services) {
  return newRouter()
    .openapi(listDefinitions, (c) => c.json({ tables: [...services.tables.list()] }, 200))
    .openapi(upsertRows, async (c) => {
      const upserted = await importTableRows(services, actorOf(c), c.req.valid('param').table, c.req.valid('json').rows);
      return c.json({ upserted }, 200);
    })
    .openapi(deleteRow, async (c) => {
      const { table, key } = c.req.valid('param');
      await deleteTableRow(services, actorOf(c), table, key);
      return c.body(null, 204);
    });
}
