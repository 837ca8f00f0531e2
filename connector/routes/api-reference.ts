import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from '../contract';
import type { AppEnv } from '../http/app-env';
import { endpointOf } from '../http/endpoint';
import { PUBLIC } from '../http/router';

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Sheetgate connector',
    version: '1.1',
    description:
      'Permissioned company data for Excel. Every /v1 and /admin request carries X-Api-Token and X-Api-Key ' +
      '(admin routes also accept the operator\'s X-Admin-Key), never credentials in the URL. ' +
      'Errors are {"error":{"code","message"}}; every /v1 and /admin answer is sent `Cache-Control: no-store`.',
  },
  tags: [
    { name: 'Health', description: 'For load balancers and monitors; no credentials.' },
    { name: 'Data', description: 'What an analyst\'s pair reads: the tables it may see, at the formats granted.' },
    { name: 'Admin: users', description: 'Users the caller may manage, their grants and data settings.' },
    { name: 'Admin: API access', description: 'Authorizing users and their credentials (token + key pairs).' },
    { name: 'Admin: organizations and teams', description: 'Providers, their clients, and teams.' },
    { name: 'Admin: audit', description: 'Who did what, from where (never a key).' },
    { name: 'Admin: tables', description: 'Table definitions and row imports (system admins).' },
    { name: 'API reference', description: 'This document.' },
  ],
};

const SECURITY_SCHEMES = {
  ApiToken: { header: TOKEN_HEADER, description: 'The credential\'s token (`sgt_…`), sent with its key.' },
  ApiKey: { header: KEY_HEADER, description: 'The credential\'s key (`sgk_…`); shown once, or copied again by an admin.' },
  AdminKey: { header: ADMIN_KEY_HEADER, description: 'The operator\'s global admin key, where the connector has one; admin routes only.' },
};

const documentRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getApiDocument',
  tags: ['API reference'],
  summary: 'This OpenAPI 3.1 document, generated from the routes\' own schemas (rendered at /docs)',
  security: PUBLIC,
  responses: {
    200: {
      description: 'The document; `servers` names the connector it came from',
      headers: { 'Cache-Control': { description: 'Revalidated on each use.', required: true, schema: { type: 'string', enum: ['no-cache'] } } },
      content: { 'application/json': { schema: z.looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) }) } },
    },
  },
});

/**
 * `/openapi.json`, generated from the routes' own zod schemas once all are mounted (the first
 * request), with the connector's own endpoint as its server so "Try it out" calls this connector.
 */
export function mountApiReference(app: OpenAPIHono<AppEnv>, publicUrl: string | null): void {
  for (const [name, { header, description }] of Object.entries(SECURITY_SCHEMES)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, { type: 'apiKey', in: 'header', name: header, description });
  }
  let generated: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.openapi(documentRoute, (c) => {
    generated ??= app.getOpenAPI31Document(DOCUMENT);
    const servers = [{ url: endpointOf(c, publicUrl), description: 'This connector' }];
    return c.json({ ...generated, paths: generated.paths ?? {}, servers }, 200, { 'Cache-Control': 'no-cache' });
  });
}
