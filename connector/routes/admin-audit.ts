import { createRoute } from '@hono/zod-openapi';
import { pageAudit } from '../audit';
import type { Services } from '../deps';
import { forbidden } from '../errors';
import { ADMIN_SECURED, guardedErrors, json, newRouter } from '../http/router';
import { isSystemAdmin } from '../security/principal';
import { AuditPageSchema, AuditQuery } from './admin-schemas';

const list = createRoute({
  tags: ['Admin: audit'],
  security: ADMIN_SECURED,
  method: 'get',
  path: '/admin/audit',
  operationId: 'listAuditEntries',
  summary: 'The audit log, newest first, one page at a time (system admins); never a key',
  description:
    'Filters are exact matches; `action` ending in `.` matches that prefix (`credential.`). A cursor is good only with the filters it was issued for.',
  request: { query: AuditQuery },
  responses: { 200: json(AuditPageSchema, 'One page of audit entries'), ...guardedErrors() },
});

export function adminAuditRoutes(services: Services) {
  return newRouter().openapi(list, async (c) => {
    if (!isSystemAdmin(c.get('principal'))) throw forbidden('Only system admins may read the audit log.');
    return c.json(await pageAudit(services.store.audit, c.req.valid('query')), 200);
  });
}
