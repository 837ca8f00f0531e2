import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../deps';
import { NewOrganizationBody, NewTeamBody } from '../domain/organization';
import { actorOf } from '../http/actor';
import { ADMIN_SECURED, errorResponses, newRouter } from '../http/router';
import { createOrganization, createTeam, listOrganizations, listTeams } from '../security/organizations';
import { json, jsonBody, OrganizationSchema, TeamSchema } from './admin-schemas';

const common = { tags: ['Admin: organizations and teams'], security: ADMIN_SECURED };

const listOrgs = createRoute({
  ...common,
  method: 'get',
  path: '/admin/organizations',
  summary: 'Organizations the caller administers (all, for a system admin)',
  responses: { 200: json(z.object({ organizations: z.array(OrganizationSchema) }), 'Organizations'), ...errorResponses(401, 403) },
});

const createOrg = createRoute({
  ...common,
  method: 'post',
  path: '/admin/organizations',
  summary: 'Create a provider or client organization',
  request: { body: jsonBody(NewOrganizationBody) },
  responses: { 201: json(OrganizationSchema, 'The new organization'), ...errorResponses(400, 401, 403, 409) },
});

const listTeamsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/admin/teams',
  summary: 'Every team',
  responses: { 200: json(z.object({ teams: z.array(TeamSchema) }), 'Teams'), ...errorResponses(401, 403) },
});

const createTeamRoute = createRoute({
  ...common,
  method: 'post',
  path: '/admin/teams',
  summary: 'Create a team (system admins)',
  request: { body: jsonBody(NewTeamBody) },
  responses: { 201: json(TeamSchema, 'The new team'), ...errorResponses(400, 401, 403, 409) },
});

export function adminOrganizationRoutes(services: Services) {
  return newRouter()
    .openapi(listOrgs, async (c) => c.json({ organizations: await listOrganizations(services, actorOf(c)) }, 200))
    .openapi(createOrg, async (c) => c.json(await createOrganization(services, actorOf(c), c.req.valid('json')), 201))
    .openapi(listTeamsRoute, async (c) => c.json({ teams: [...(await listTeams(services))] }, 200))
    .openapi(createTeamRoute, async (c) => c.json(await createTeam(services, actorOf(c), c.req.valid('json')), 201));
}
