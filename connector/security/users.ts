import { randomUUID } from 'node:crypto';
import { isFormat, type Format, type Role, type UserKind } from '../contract';
import { revokeAllInto } from '../credentials/lifecycle';
import type { Services } from '../deps';
import { forbidden, invalidRequest } from '../errors';
import type { User, UserSettings } from '../store/types';
import { checkNotOwnAccess } from './admin-scope';
import { parseIpRange } from './ip-ranges';
import { adminScope, getManagedUser } from './managed-user';
import type { Principal } from './principal';

// User management as the portal does it. Routes and the CLI both call these.

export interface NewUser {
  username: string;
  email: string;
  name?: string;
  surname?: string;
  description?: string;
  kind: UserKind;
  roles?: Role[];
  organizations?: string[];
  teams?: string[];
  allowedIps?: string[];
}

export type UserChanges = Partial<
  Pick<User, 'username' | 'email' | 'name' | 'surname' | 'description' | 'active' | 'roles' | 'organizations' | 'teams' | 'allowedIps'>
>;

/** What admins see of a user. */
export interface UserView extends Omit<User, 'apiAuthorized'> {
  apiAccess: { authorized: boolean };
  lastUsedAt: string | null;
}

export function describeUser(services: Services, user: User): UserView {
  const { apiAuthorized, ...rest } = user;
  let lastUsedAt: string | null = null;
  for (const credential of services.store.security.listCredentials(user.id)) {
    if (credential.lastUsedAt && (!lastUsedAt || credential.lastUsedAt > lastUsedAt)) lastUsedAt = credential.lastUsedAt;
  }
  return { ...rest, apiAccess: { authorized: apiAuthorized }, lastUsedAt };
}

export function listUsers(services: Services, actor: Principal): User[] {
  const scope = adminScope(services, actor);
  return services.store.security.listUsers().filter((user) => scope.canManage(user));
}

export async function createUser(services: Services, actor: Principal, input: NewUser): Promise<User> {
  const organizations = unique(input.organizations ?? []);
  const roles = unique<Role>(input.roles ?? ['member']);
  const teams = unique(input.teams ?? []);
  adminScope(services, actor).checkHandsOut({ roles, organizations, teams, grants: {}, settings: { warehouse: '', priceCustomer: '' } });
  checkReferences(services, { organizations, teams, allowedIps: input.allowedIps });
  const now = services.now().toISOString();
  const user: User = {
    id: randomUUID(),
    username: input.username,
    email: input.email,
    name: input.name ?? '',
    surname: input.surname ?? '',
    description: input.description ?? '',
    kind: input.kind,
    roles,
    organizations,
    teams,
    active: true,
    allowedIps: input.allowedIps ?? [],
    settings: { warehouse: '', priceCustomer: '' },
    grants: {},
    apiAuthorized: false,
    createdAt: now,
    updatedAt: now,
  };
  await services.store.security.update((draft) => draft.insertUser(user));
  return user;
}

export async function updateUser(services: Services, actor: Principal, id: string, changes: UserChanges): Promise<User> {
  const user = getManagedUser(services, actor, id);
  if (changes.roles) changes.roles = unique(changes.roles);
  if (changes.organizations) changes.organizations = unique(changes.organizations);
  if (changes.teams) changes.teams = unique(changes.teams);
  const accessFields = (['roles', 'organizations', 'teams', 'active', 'allowedIps'] as const).filter((field) => field in changes);
  if (accessFields.length > 0) checkNotOwnAccess(actor, user, `change your own ${accessFields.join(', ')}`);
  if (actor.kind === 'user' && actor.user.id === user.id && changes.active === false) {
    throw forbidden('You cannot deactivate yourself; ask another admin.');
  }
  // Only a change of what the user holds can hand anything out; a profile change never does.
  if (changes.roles || changes.organizations || changes.teams) adminScope(services, actor).checkHandsOut({ ...user, ...changes });
  checkReferences(services, changes);
  return services.store.security.update((draft) =>
    draft.patchUser(user.id, { ...changes, updatedAt: services.now().toISOString() }),
  );
}

/** Deletes the user; every credential of it stops working at once (kept, revoked, for the audit trail). */
export async function deleteUser(services: Services, actor: Principal, id: string): Promise<void> {
  const user = getManagedUser(services, actor, id);
  if (actor.kind === 'user' && actor.user.id === user.id) throw forbidden('You cannot delete yourself.');
  await services.store.security.update((draft) => {
    revokeAllInto(draft, services, user.id, services.now().toISOString());
    draft.removeUser(user.id);
  });
}

/** Sets per-table highest formats; tables not named keep their grant. Returns every grant. */
export async function setGrants(
  services: Services,
  actor: Principal,
  id: string,
  grants: Record<string, string>,
): Promise<Record<string, Format>> {
  const user = getManagedUser(services, actor, id);
  checkNotOwnAccess(actor, user, 'change your own grants');
  for (const [table, format] of Object.entries(grants)) {
    if (!services.tables.get(table)) throw invalidRequest(`Field "${table}": no such table.`);
    if (!isFormat(format)) throw invalidRequest(`Field "${table}": "${format}" is not a format (none, basic, standard, detail, expanded).`);
  }
  adminScope(services, actor).checkHandsOut({ ...user, grants: { ...user.grants, ...(grants as Record<string, Format>) } });
  // Merged inside the writer: two concurrent grant changes must both survive.
  const updated = await services.store.security.update((draft) =>
    draft.patchUser(user.id, { grants: { ...user.grants, ...(grants as Record<string, Format>) }, updatedAt: services.now().toISOString() }),
  );
  return allGrants(services, updated.grants);
}

/** Every table with its grant for this user (`none` where none was given). */
export function allGrants(services: Services, grants: Record<string, Format>): Record<string, Format> {
  return Object.fromEntries(services.tables.list().map((table) => [table.id, grants[table.id] ?? 'none']));
}

export async function setSettings(services: Services, actor: Principal, id: string, settings: Partial<UserSettings>): Promise<User> {
  const user = getManagedUser(services, actor, id);
  checkNotOwnAccess(actor, user, 'change your own data settings');
  adminScope(services, actor).checkHandsOut({ ...user, settings: { ...user.settings, ...settings } });
  return services.store.security.update((draft) =>
    draft.patchUser(user.id, { settings: { ...user.settings, ...settings }, updatedAt: services.now().toISOString() }),
  );
}

function checkReferences(services: Services, refs: { organizations?: string[]; teams?: string[]; allowedIps?: string[] }): void {
  const security = services.store.security;
  for (const [index, id] of (refs.organizations ?? []).entries()) {
    if (!security.getOrganization(id)) throw invalidRequest(`Field "organizations.${index}": no organization "${id}".`);
  }
  for (const [index, id] of (refs.teams ?? []).entries()) {
    if (!security.getTeam(id)) throw invalidRequest(`Field "teams.${index}": no team "${id}".`);
  }
  for (const [index, entry] of (refs.allowedIps ?? []).entries()) {
    if (!parseIpRange(entry)) throw invalidRequest(`Field "allowedIps.${index}": "${entry}" is not an IP address or CIDR range.`);
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
