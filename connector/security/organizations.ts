import { randomUUID } from 'node:crypto';
import type { Services } from '../deps';
import { NewOrganizationBody, NewTeamBody } from '../domain/organization';
import { parseInput } from '../domain/validate';
import { forbidden, invalidRequest } from '../errors';
import type { Organization, Team } from '../store/types';
import { auditEntryOf, type Actor } from './actor';
import { administeredOrganizations } from './admin-scope';
import { isSystemAdmin } from './principal';

// Organizations (providers and their clients) and teams. A portal admin sees the organizations it
// administers and may add client organizations under its own providers; teams are system-wide.

export async function listOrganizations(services: Services, actor: Actor): Promise<Organization[]> {
  const organizations = await services.store.security.listOrganizations();
  const visible = administeredOrganizations(actor.principal, organizations);
  return organizations.filter((org) => visible === null || visible.has(org.id));
}

export function createOrganization(services: Services, actor: Actor, input: unknown): Promise<Organization> {
  const fields = parseInput(NewOrganizationBody, input);
  const parent = fields.parent ?? null;
  return services.store.security.transaction(async (tx) => {
    // Permission first: a refused caller must not learn which organization ids exist.
    if (!isSystemAdmin(actor.principal)) {
      const administered = administeredOrganizations(actor.principal, await tx.listOrganizations());
      if (fields.kind !== 'client' || parent === null || !administered?.has(parent)) {
        throw forbidden('A portal admin may only add client organizations under a provider it administers.');
      }
    }
    if (parent !== null) {
      const parentOrg = await tx.getOrganization(parent);
      if (!parentOrg) throw invalidRequest(`Field "parent": no organization "${parent}".`);
      if (parentOrg.kind !== 'provider' || fields.kind !== 'client') {
        throw invalidRequest('Field "parent": only a client organization can have a parent, and it must be a provider.');
      }
    }
    const org: Organization = { id: randomUUID(), name: fields.name, kind: fields.kind, parent, createdAt: services.now().toISOString() };
    // The store refuses a name taken (ignoring case), so two concurrent creates cannot both pass.
    await tx.insertOrganization(org);
    tx.audit(auditEntryOf(actor, `organization.create ${org.kind}`, org.name, services.now()));
    return org;
  });
}

export function listTeams(services: Services): Promise<readonly Team[]> {
  return services.store.security.listTeams();
}

export function createTeam(services: Services, actor: Actor, input: unknown): Promise<Team> {
  if (!isSystemAdmin(actor.principal)) throw forbidden('Only system admins may create teams.');
  const { name } = parseInput(NewTeamBody, input);
  const team: Team = { id: randomUUID(), name, createdAt: services.now().toISOString() };
  return services.store.security.transaction(async (tx) => {
    await tx.insertTeam(team);
    tx.audit(auditEntryOf(actor, 'team.create', team.name, services.now()));
    return team;
  });
}
