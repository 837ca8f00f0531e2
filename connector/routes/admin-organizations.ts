import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../deps';
import { NewOrganizationBody, NewTeamBody, OrganizationSchema, TeamSchema } from '../domain/organization';
import { actorOf } from '../http/actor';
import { ADMIN_SECURED, guardedErrors, json, jsonBody, newRouter } from '../http/router';
import { createOrganization, createTeam, listOrganizations, listTeams } from '../security/organizations';

const common = { tags: ['Admin: organizations and teams'], security: ADMIN_SECURED };

const listOrgs = createRoute({
  ...common,
  method: 'get',
  path: '/admin/organizations',
  operationId: 'listOrganizations',
  summary: 'Organizations the caller administers (all, for a system admin)',
  responses: { 200: json(z.object({ organizations: z.array(OrganizationSchema) }), 'Organizations'), ...guardedErrors() },
});

const createOrg = createRoute({
  ...common,
  method: 'post',
  path: '/admin/organizations',
  operationId: 'createOrganization',
  summary: 'Create a provider or client organization',
  request: { body: jsonBody(NewOrganizationBody) },
  responses: { 201: json(OrganizationSchema, 'The new organization'), ...guardedErrors(409) },
});

const listTeamsRoute = createRoute({
  ...common,
  method: 'get',
  path: '/admin/teams',
  operationId: 'listTeams',
  summary: 'Every team',
  responses: { 200: json(z.object({ teams: z.array(TeamSchema) }), 'Teams'), ...guardedErrors() },
});

const createTeamRoute = createRoute({
  ...common,
  method: 'post',
  path: '/admin/teams',
  operationId: 'createTeam',
  summary: 'Create a team (system admins)',
  request: { body: jsonBody(NewTeamBody) },
  responses: { 201: json(TeamSchema, 'The new team'), ...guardedErrors(409) },
});

export function adminOrganizationRoutes(services: Services) {
  return newRouter()
    .openapi(listOrgs, async (c) => c.json({ organizations: await listOrganizations(services, actorOf(c)) }, 200))
    .openapi(createOrg, async (c) => c.json(await createOrganization(services, actorOf(c), c.req.valid('json')), 201))
    .openapi(listTeamsRoute, async (c) => c.json({ teams: [...(await listTeams(services))] }, 200))
    .openapi(createTeamRoute, async (c) => c.json(await createTeam(services, actorOf(c), c.req.valid('json')), 201));
}
