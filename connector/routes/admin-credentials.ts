import { createRoute, z } from '@hono/zod-openapi';
import {
  authorize,
  copyKey,
  deauthorize,
  describeCredential,
  issueCredential,
  regenerateKey,
  revokeCredential,
} from '../credentials/lifecycle';
import type { Services } from '../deps';
import { ApiError } from '../errors';
import { auditAction, auditActionDurably } from '../http/audit-action';
import { ADMIN_SECURED, errorResponses, newRouter } from '../http/router';
import { getManagedUser } from '../security/managed-user';
import {
  ApiAccessBody,
  CredentialParams,
  CredentialSchema,
  IssuedCredentialSchema,
  json,
  jsonBody,
  NewCredentialBody,
  TokenAndKeySchema,
  UserIdParams,
} from './admin-schemas';

const common = { tags: ['Admin: API access'], security: ADMIN_SECURED };

const putAccess = createRoute({
  ...common,
  method: 'put',
  path: '/admin/users/{id}/api-access',
  summary: 'Authorize (a NEW token + key every time) or de-authorize (revokes every credential)',
  request: { params: UserIdParams, body: jsonBody(ApiAccessBody) },
  responses: {
    200: json(
      z.union([z.object({ authorized: z.literal(true), credential: IssuedCredentialSchema }), z.object({ authorized: z.literal(false) })]),
      'The new state; with the new pair when authorized',
    ),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const getAccess = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users/{id}/api-access',
  summary: 'Whether API access is on, and every credential (never a key)',
  request: { params: UserIdParams },
  responses: {
    200: json(z.object({ authorized: z.boolean(), credentials: z.array(CredentialSchema) }), 'API access'),
    ...errorResponses(401, 403, 404),
  },
});

const issue = createRoute({
  ...common,
  method: 'post',
  path: '/admin/users/{id}/credentials',
  summary: 'Issue a further named credential (409 while access is off)',
  request: { params: UserIdParams, body: jsonBody(NewCredentialBody) },
  responses: { 201: json(IssuedCredentialSchema, 'The credential with its key'), ...errorResponses(400, 401, 403, 404, 409) },
});

const key = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users/{id}/credentials/{cid}/key',
  summary: "Copy a credential's key again (audited on disk first: 409 when the audit cannot be written)",
  request: { params: CredentialParams },
  responses: { 200: json(TokenAndKeySchema, 'Token and key'), ...errorResponses(401, 403, 404, 409) },
});

const regenerate = createRoute({
  ...common,
  method: 'post',
  path: '/admin/users/{id}/credentials/{cid}/regenerate',
  summary: 'A new key for the same token; the old key fails at once',
  request: { params: CredentialParams },
  responses: { 200: json(TokenAndKeySchema, 'Token and new key'), ...errorResponses(401, 403, 404, 409) },
});

const revoke = createRoute({
  ...common,
  method: 'delete',
  path: '/admin/users/{id}/credentials/{cid}',
  summary: 'Revoke one credential',
  request: { params: CredentialParams },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
});

export function adminCredentialRoutes(services: Services) {
  return newRouter()
    .openapi(putAccess, async (c) => {
      const user = getManagedUser(services, c.get('principal'), c.req.valid('param').id);
      if (c.req.valid('json').authorized) {
        const credential = await authorize(services, c.get('principal'), user.id);
        auditAction(c, services, `api-access.authorize credential=${credential.id}`, user.username);
        return c.json({ authorized: true as const, credential }, 200);
      }
      await deauthorize(services, c.get('principal'), user.id);
      auditAction(c, services, 'api-access.deauthorize', user.username);
      return c.json({ authorized: false as const }, 200);
    })
    .openapi(getAccess, (c) => {
      const user = getManagedUser(services, c.get('principal'), c.req.valid('param').id);
      const credentials = services.store.security.listCredentials(user.id).map(describeCredential);
      return c.json({ authorized: user.apiAuthorized, credentials }, 200);
    })
    .openapi(issue, async (c) => {
      const user = getManagedUser(services, c.get('principal'), c.req.valid('param').id);
      const { name, expiresInSeconds } = c.req.valid('json');
      const credential = await issueCredential(services, c.get('principal'), user.id, name, expiresInSeconds ?? null);
      auditAction(c, services, `credential.issue credential=${credential.id}`, user.username);
      return c.json(credential, 201);
    })
    .openapi(key, async (c) => {
      const { id, cid } = c.req.valid('param');
      const user = getManagedUser(services, c.get('principal'), id);
      const pair = copyKey(services, c.get('principal'), user.id, cid);
      // The copy is on record before the key leaves: no audit entry, no key.
      await auditActionDurably(c, services, `credential.copy-key credential=${cid}`, user.username).catch(() => {
        throw new ApiError('conflict', 'The key was not copied: its audit entry could not be written. Ask the operator to check the connector\'s disk, then try again.');
      });
      return c.json(pair, 200);
    })
    .openapi(regenerate, async (c) => {
      const { id, cid } = c.req.valid('param');
      const user = getManagedUser(services, c.get('principal'), id);
      const pair = await regenerateKey(services, c.get('principal'), user.id, cid);
      auditAction(c, services, `credential.regenerate credential=${cid}`, user.username);
      return c.json(pair, 200);
    })
    .openapi(revoke, async (c) => {
      const { id, cid } = c.req.valid('param');
      const user = getManagedUser(services, c.get('principal'), id);
      await revokeCredential(services, c.get('principal'), user.id, cid);
      auditAction(c, services, `credential.revoke credential=${cid}`, user.username);
      return c.body(null, 204);
    });
}
