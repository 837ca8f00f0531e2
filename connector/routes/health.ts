import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../deps';
import { ApiError } from '../errors';
import { errorResponses, newRouter, PUBLIC } from '../http/router';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  tags: ['Health'],
  summary: 'Liveness: answers without credentials',
  security: PUBLIC,
  responses: {
    200: { description: 'The connector is up', content: { 'application/json': { schema: z.object({ ok: z.literal(true) }) } } },
  },
});

const ready = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'getReadiness',
  tags: ['Health'],
  summary: 'Readiness: the store answers (a load balancer sends traffic only here); no credentials',
  security: PUBLIC,
  responses: {
    200: { description: 'Ready to serve', content: { 'application/json': { schema: z.object({ ready: z.literal(true) }) } } },
    ...errorResponses(503),
  },
});

export function healthRoutes(services: Services) {
  return newRouter()
    .openapi(health, (c) => c.json({ ok: true as const }, 200))
    .openapi(ready, async (c) => {
      if (!(await services.store.ready())) throw new ApiError('not_ready', 'The connector cannot reach its store; try another instance or again shortly.');
      return c.json({ ready: true as const }, 200);
    });
}
