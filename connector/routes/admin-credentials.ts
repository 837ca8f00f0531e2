import { createRoute, z } from '@hono/zod-openapi';
import {
  authorize,
  copyKey,
  deauthorize,
  describeApiAccess,
  issueCredential,
  regenerateKey,
  revokeCredential,
} from '../credentials/lifecycle';
import type { Services } from '../deps';
import { CredentialSchema, IssuedCredentialSchema, NewCredentialBody } from '../domain/credential';
import { actorOf } from '../http/actor';
import { ADMIN_SECURED, guardedErrors, json, jsonBody, newRouter, noContent } from '../http/router';
import { ApiAccessBody, CredentialParams, TokenAndKeySchema, UserIdParams } from './admin-schemas';

const common = { tags: ['Admin: API access'], security: ADMIN_SECURED };

const putAccess = createRoute({
  ...common,
  method: 'put',
  path: '/admin/users/{id}/api-access',
  operationId: 'setApiAccess',
  summary: 'Authorize (a NEW token + key every time) or de-authorize (revokes every credential)',
  request: { params: UserIdParams, body: jsonBody(ApiAccessBody) },
  responses: {
    200: json(
      z.union([z.object({ authorized: z.literal(true), credential: IssuedCredentialSchema }), z.object({ authorized: z.literal(false) })]),
      'The new state; with the new pair when authorized',
    ),
    ...guardedErrors(404, 409),
  },
});

const getAccess = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users/{id}/api-access',
  operationId: 'getApiAccess',
  summary: 'Whether API access is on, and every credential (never a key)',
  request: { params: UserIdParams },
  responses: {
    200: json(z.object({ authorized: z.boolean(), credentials: z.array(CredentialSchema) }), 'API access'),
    ...guardedErrors(404),
  },
});

const issue = createRoute({
  ...common,
  method: 'post',
  path: '/admin/users/{id}/credentials',
  operationId: 'issueCredential',
  summary: 'Issue a further named credential (409 while access is off)',
  request: { params: UserIdParams, body: jsonBody(NewCredentialBody) },
  responses: { 201: json(IssuedCredentialSchema, 'The credential with its key'), ...guardedErrors(404, 409) },
});

const key = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users/{id}/credentials/{cid}/key',
  operationId: 'copyCredentialKey',
  summary: "Copy a credential's key again (audited on disk first: 409 when the audit cannot be written)",
  request: { params: CredentialParams },
  responses: { 200: json(TokenAndKeySchema, 'Token and key'), ...guardedErrors(404, 409) },
});

const regenerate = createRoute({
  ...common,
  method: 'post',
  path: '/admin/users/{id}/credentials/{cid}/regenerate',
  operationId: 'regenerateCredentialKey',
  summary: 'A new key for the same token; the old key fails at once',
  request: { params: CredentialParams },
  responses: { 200: json(TokenAndKeySchema, 'Token and new key'), ...guardedErrors(404, 409) },
});

const revoke = createRoute({
  ...common,
  method: 'delete',
  path: '/admin/users/{id}/credentials/{cid}',
  operationId: 'revokeCredential',
  summary: 'Revoke one credential',
  request: { params: CredentialParams },
  responses: { 204: noContent('Revoked'), ...guardedErrors(404) },
});

export function adminCredentialRoutes(services: Services) {
  return newRouter()
    .openapi(putAccess, async (c) => {
      const id = c.req.valid('param').id;
      if (c.req.valid('json').authorized) {
        const credential = await authorize(services, actorOf(c), id);
        return c.json({ authorized: true as const, credential }, 200);
      }
      await deauthorize(services, actorOf(c), id);
      return c.json({ authorized: false as const }, 200);
    })
    .openapi(getAccess, async (c) => c.json(await describeApiAccess(services, actorOf(c), c.req.valid('param').id), 200))
    .openapi(issue, async (c) => c.json(await issueCredential(services, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 201))
    .openapi(key, async (c) => {
      const { id, cid } = c.req.valid('param');
      return c.json(await copyKey(services, actorOf(c), id, cid), 200);
    })
    .openapi(regenerate, async (c) => {
      const { id, cid } = c.req.valid('param');
      return c.json(await regenerateKey(services, actorOf(c), id, cid), 200);
    })
    .openapi(revoke, async (c) => {
      const { id, cid } = c.req.valid('param');
      await revokeCredential(services, actorOf(c), id, cid);
      return c.body(null, 204);
    });
}
