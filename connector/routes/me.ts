import { createRoute, z } from '@hono/zod-openapi';
import type { MeResponse } from '../contract';
import type { Services } from '../deps';
import { dataRoute, sendJson } from '../http/data-route';
import { endpointOf } from '../http/endpoint';
import { guardedErrors, json, newRouter, SECURED } from '../http/router';
import { userPrincipal } from '../security/principal';
import { CredentialSchema } from '../domain/credential';

const MeSchema = z
  .object({
    user: z.object({
      id: z.string(),
      username: z.string(),
      name: z.string(),
      email: z.string(),
      kind: z.enum(['portal', 'api']),
      roles: z.array(z.enum(['system-admin', 'portal-admin', 'member'])),
    }),
    organizations: z.array(
      z.object({ id: z.string(), name: z.string(), kind: z.enum(['provider', 'client']), parent: z.string().nullable() }),
    ),
    teams: z.array(z.object({ id: z.string(), name: z.string() })),
    credential: CredentialSchema.pick({ id: true, token: true, name: true, createdAt: true, expiresAt: true, lastUsedAt: true }),
    endpoint: z.url().openapi({ description: 'The origin to paste into Excel.' }),
  })
  .openapi('Me');

const me = createRoute({
  method: 'get',
  path: '/v1/me',
  operationId: 'getMe',
  tags: ['Data'],
  summary: 'Who the credentials belong to, and where this connector is',
  security: SECURED,
  responses: {
    200: json(MeSchema, 'The caller'),
    ...guardedErrors(),
  },
});

/** Who the caller is, as JSON text: `GET /v1/me` below and the /v1 hot path send it. */
export function meAnswer(services: Services) {
  return dataRoute(me, async (c, { user, credential }) => {
    const security = services.store.security;
    const [organizations, teams] = await Promise.all([security.listOrganizations(), security.listTeams()]);
    const body: MeResponse = {
      user: { id: user.id, username: user.username, name: displayName(user), email: user.email, kind: user.kind, roles: user.roles },
      organizations: user.organizations.flatMap((id) => {
        const org = organizations.find((candidate) => candidate.id === id);
        return org ? [{ id: org.id, name: org.name, kind: org.kind, parent: org.parent }] : [];
      }),
      teams: user.teams.flatMap((id) => {
        const team = teams.find((candidate) => candidate.id === id);
        return team ? [{ id: team.id, name: team.name }] : [];
      }),
      credential: {
        id: credential.id,
        token: credential.token,
        name: credential.name,
        createdAt: credential.createdAt,
        expiresAt: credential.expiresAt,
        lastUsedAt: credential.lastUsedAt,
      },
      endpoint: endpointOf(c, services.config.publicUrl),
    };
    return JSON.stringify(body);
  });
}

export function meRoutes(services: Services) {
  const { answer } = meAnswer(services);
  return newRouter().openapi(me, async (c) => sendJson<MeResponse>(c, await answer(c, userPrincipal(c.get('principal')), {}), services.config.compressAboveBytes));
}

function displayName(user: { name: string; surname: string; username: string }): string {
  return [user.name, user.surname].filter(Boolean).join(' ') || user.username;
}
