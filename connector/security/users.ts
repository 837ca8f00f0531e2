import { randomUUID } from 'node:crypto';
import { isFormat, type Format, type Role, type UserKind } from '../contract';
import { revokeAllInto } from '../credentials/lifecycle';
import type { Services } from '../deps';
import { forbidden, invalidRequest, notFound } from '../errors';
import { decodeListCursor, encodeListCursor } from '../list-cursor';
import type { User, UserSettings } from '../store/types';
import { rowFilter, viewerFor } from '../tables/scope';
import { canManageUser, checkAssignable, checkNotOwnAccess } from './admin-scope';
import { parseIpRange } from './ip-ranges';
import { isSystemAdmin, type Principal } from './principal';

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
  const security = services.store.security;
  return security.listUsers().filter((user) => canManageUser(actor, user, security));
}

export interface UserQuery {
  /** Case-insensitive substring of the username, e-mail, name or surname. */
  q?: string;
  limit: number;
  cursor?: string;
}

/**
 * One page of the users the actor may manage, by username. The cursor carries the last username
 * served (usernames are unique regardless of case), so users created or deleted between pages never
 * shift a page.
 */
export function pageUsers(services: Services, actor: Principal, query: UserQuery): { users: User[]; nextCursor: string | null } {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const after = query.cursor === undefined ? undefined : decodeListCursor('users', needle, query.cursor, isString);
  const matches = listUsers(services, actor)
    .map((user) => ({ user, sortKey: user.username.toLowerCase() }))
    .filter(({ user, sortKey }) => (after === undefined || sortKey > after) && (!needle || matchesNeedle(user, needle)))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const page = matches.slice(0, query.limit);
  const more = matches.length > page.length;
  return {
    users: page.map(({ user }) => user),
    nextCursor: more ? encodeListCursor('users', needle, page[page.length - 1].sortKey) : null,
  };
}

function matchesNeedle(user: User, needle: string): boolean {
  return [user.username, user.email, user.name, user.surname].some((field) => field.toLowerCase().includes(needle));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The user, if the actor may manage it; otherwise `not_found`, so its existence does not leak. */
export function getManagedUser(services: Services, actor: Principal, id: string): User {
  const security = services.store.security;
  const user = security.getUser(id);
  if (!user || !canManageUser(actor, user, security)) throw notFound('No such user.');
  return user;
}

export async function createUser(services: Services, actor: Principal, input: NewUser): Promise<User> {
  const organizations = unique(input.organizations ?? []);
  const roles = unique<Role>(input.roles ?? ['member']);
  const teams = unique(input.teams ?? []);
  checkAssignable(actor, services.store.security, { roles, organizations, teams });
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
  if (accessFields.length > 0) checkNotOwnAccess(actor, user, accessFields.join(', '));
  if (actor.kind === 'user' && actor.user.id === user.id && changes.active === false) {
    throw forbidden('You cannot deactivate yourself; ask another admin.');
  }
  checkAssignable(actor, services.store.security, {
    roles: changes.roles,
    organizations: changes.organizations,
    currentOrganizations: user.organizations,
    teams: changes.teams,
    currentTeams: user.teams,
  });
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
  checkNotOwnAccess(actor, user, 'grants');
  for (const [table, format] of Object.entries(grants)) {
    if (!services.tables.get(table)) throw invalidRequest(`Field "${table}": no such table.`);
    if (!isFormat(format)) throw invalidRequest(`Field "${table}": "${format}" is not a format (none, basic, standard, detail, expanded).`);
  }
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
  checkNotOwnAccess(actor, user, 'data settings');
  checkSettingsInReach(services, actor, settings);
  return services.store.security.update((draft) =>
    draft.patchUser(user.id, { settings: { ...user.settings, ...settings }, updatedAt: services.now().toISOString() }),
  );
}

/**
 * A setting that names a row of a table (a price customer) may name only a row the admin could read
 * itself: a portal admin cannot show its users another organization's customer terms. A missing
 * row and an unreadable one get the same answer. System admins, the admin key and the CLI may name
 * any row, even one not imported yet (it resolves to nothing until it is). Warehouses are no
 * table's rows in this model, so `warehouse` stays free text.
 */
function checkSettingsInReach(services: Services, actor: Principal, settings: Partial<UserSettings>): void {
  if (isSystemAdmin(actor) || actor.kind !== 'user') return;
  const viewer = viewerFor(actor.user, services.store.security);
  for (const definition of services.tables.list()) {
    for (const lookup of Object.values(definition.lookups ?? {})) {
      const value = settings[lookup.setting]?.trim();
      const target = lookup.table === undefined ? undefined : services.tables.get(lookup.table);
      if (!value || !target) continue;
      const row = services.store.rows.get(target.id, value);
      const visible = rowFilter(target, viewer);
      if (!row || (visible && !visible(row))) {
        throw invalidRequest(`Field "${lookup.setting}": no row "${value}" in ${target.title} that you can see.`);
      }
    }
  }
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
