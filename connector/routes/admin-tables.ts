import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Services } from '../deps';
import { ApiError, forbidden } from '../errors';
import type { AppEnv } from '../http/app-env';
import { auditAction } from '../http/audit-action';
import { ADMIN_SECURED, errorResponses, newRouter } from '../http/router';
import { isSystemAdmin } from '../security/principal';
import type { TableDefinition } from '../tables/definition';
import { importRows } from '../tables/import';
import { json, jsonBody } from './admin-schemas';
import { ImportBody, RowParams, TableDefinitionSchema, TableParams } from './table-schemas';

/** Runs before body validation, so a caller who may not import learns nothing about the rows' shape. */
const systemAdminOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isSystemAdmin(c.get('principal'))) throw forbidden('Only system admins may manage table data.');
  await next();
};

const common = { tags: ['Admin: tables'], security: ADMIN_SECURED, middleware: [systemAdminOnly] };

const listDefinitions = createRoute({
  ...common,
  method: 'get',
  path: '/admin/tables',
  summary: 'Every table definition, fields and scope included (system admins)',
  responses: { 200: json(z.object({ tables: z.array(TableDefinitionSchema) }), 'Table definitions'), ...errorResponses(401, 403) },
});

const upsertRows = createRoute({
  ...common,
  method: 'post',
  path: '/admin/tables/{table}/rows',
  summary: 'Upsert rows by key, all or nothing (system admins)',
  description: 'Every row is validated against the table definition first; a bad row is 400 naming its index (0 = first) and field, and nothing is stored.',
  request: { params: TableParams, body: jsonBody(ImportBody) },
  responses: { 200: json(z.object({ upserted: z.number().int() }), 'How many rows were stored'), ...errorResponses(400, 401, 403, 404, 413) },
});

const deleteRow = createRoute({
  ...common,
  method: 'delete',
  path: '/admin/tables/{table}/rows/{key}',
  summary: 'Delete one row (system admins)',
  request: { params: RowParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

/** `/admin/tables...`: table definitions and row imports, for system admins only. */
export function adminTableRoutes(services: Services) {
  return newRouter()
    .openapi(listDefinitions, (c) => {
      return c.json({ tables: [...services.tables.list()] }, 200);
    })
    .openapi(upsertRows, async (c) => {
      const definition = tableNamed(services, c.req.valid('param').table);
      const upserted = await importRows(services.store, definition, c.req.valid('json').rows);
      auditAction(c, services, `table.rows.upsert ${upserted}`, definition.id);
      return c.json({ upserted }, 200);
    })
    .openapi(deleteRow, async (c) => {
      const { table, key } = c.req.valid('param');
      const definition = tableNamed(services, table);
      if (!(await services.store.rows.remove(definition.id, key))) {
        throw new ApiError('not_found', `Table "${definition.id}" has no row with key "${key}".`);
      }
      auditAction(c, services, 'table.rows.delete', `${definition.id}/${key}`);
      return c.body(null, 204);
    });
}

function tableNamed(services: Services, id: string): TableDefinition {
  const definition = services.tables.get(id);
  if (!definition) throw new ApiError('not_found', `There is no table "${id}".`);
  return definition;
}
