import { randomUUID } from 'node:crypto';
import type { Services } from '../deps';
import { conflict, forbidden, invalidRequest } from '../errors';
import type { Organization, Team } from '../store/types';
import { administeredOrganizations } from './admin-scope';
import { isSystemAdmin, type Principal } from './principal';

// Organizations (providers and their clients) and teams. A portal admin sees the organizations it
// administers and may add client organizations under its own providers; teams are system-wide.

export function listOrganizations(services: Services, actor: Principal): Organization[] {
  const visible = administeredOrganizations(actor, services.store.security);
  return services.store.security.listOrganizations().filter((org) => visible === null || visible.has(org.id));
}

export async function createOrganization(
  services: Services,
  actor: Principal,
  input: { name: string; kind: 'provider' | 'client'; parent?: string | null },
): Promise<Organization> {
  const security = services.store.security;
  const parent = input.parent ?? null;
  // Permission first: a refused caller must not learn which organization ids exist.
  if (!isSystemAdmin(actor)) {
    const administered = administeredOrganizations(actor, security);
    if (input.kind !== 'client' || parent === null || !administered?.has(parent)) {
      throw forbidden('A portal admin may only add client organizations under a provider it administers.');
    }
  }
  if (parent !== null) {
    const parentOrg = security.getOrganization(parent);
    if (!parentOrg) throw invalidRequest(`Field "parent": no organization "${parent}".`);
    if (parentOrg.kind !== 'provider' || input.kind !== 'client') {
      throw invalidRequest('Field "parent": only a client organization can have a parent, and it must be a provider.');
    }
  }
  const org: Organization = { id: randomUUID(), name: input.name, kind: input.kind, parent, createdAt: services.now().toISOString() };
  // The name check runs inside the writer, so two concurrent creates cannot both pass it.
  await security.update((draft) => {
    if (draft.state.organizations.some((other) => sameName(other.name, org.name))) {
      throw conflict(`An organization named "${org.name}" already exists.`);
    }
    draft.insertOrganization(org);
  });
  return org;
}

export function listTeams(services: Services): readonly Team[] {
  return services.store.security.listTeams();
}

export async function createTeam(services: Services, actor: Principal, input: { name: string }): Promise<Team> {
  if (!isSystemAdmin(actor)) throw forbidden('Only system admins may create teams.');
  const team: Team = { id: randomUUID(), name: input.name, createdAt: services.now().toISOString() };
  await services.store.security.update((draft) => {
    if (draft.state.teams.some((other) => sameName(other.name, team.name))) {
      throw conflict(`A team named "${team.name}" already exists.`);
    }
    draft.insertTeam(team);
  });
  return team;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
