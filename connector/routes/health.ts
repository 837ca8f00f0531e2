import { createRoute, z } from '@hono/zod-openapi';
import { newRouter } from '../http/router';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['Health'],
  summary: 'Liveness: answers without credentials',
  responses: {
    200: { description: 'The connector is up', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } },
  },
});

export function healthRoutes() {
  return newRouter().openapi(health, (c) => c.json({ ok: true as const }, 200));
}
