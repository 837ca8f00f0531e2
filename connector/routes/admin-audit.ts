import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../deps';
import { forbidden } from '../errors';
import { ADMIN_SECURED, errorResponses, newRouter } from '../http/router';
import { isSystemAdmin } from '../security/principal';
import { json } from './admin-schemas';

const AuditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    outcome: z.string(),
  })
  .openapi('AuditEntry');

const list = createRoute({
  tags: ['Admin: audit'],
  security: ADMIN_SECURED,
  method: 'get',
  path: '/admin/audit',
  summary: 'The audit log, newest first (system admins); never a key',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(10000).default(100) }) },
  responses: { 200: json(z.object({ entries: z.array(AuditEntrySchema) }), 'Audit entries'), ...errorResponses(400, 401, 403) },
});

export function adminAuditRoutes(services: Services) {
  return newRouter().openapi(list, async (c) => {
    if (!isSystemAdmin(c.get('principal'))) throw forbidden('Only system admins may read the audit log.');
    return c.json({ entries: await services.store.audit.list(c.req.valid('query').limit) }, 200);
  });
}
