import { randomUUID } from 'node:crypto';
import type { Format, Role } from '../contract';
import { revokeAllInto } from '../credentials/lifecycle';
import type { Services } from '../deps';
import { GrantsBody, NewUserBody, SettingsBody, UserChangesBody, UserViewFields, type UserView } from '../domain/user';
import { parseInput } from '../domain/validate';
import { forbidden, invalidRequest } from '../errors';
import { decodeListCursor, encodeListCursor } from '../list-cursor';
import type { SecurityReads, SecurityTransaction, User } from '../store/types';
import { auditEntryOf, type Actor } from './actor';
import { checkNotOwnAccess } from './admin-scope';
import { parseIpRange } from './ip-ranges';
import { adminScope, managedUserIn } from './managed-user';

// User management as the portal does it, for the routes and the CLI alike: each validates its
// input, checks the actor may do it, acts and writes the audit entry, in one transaction.

const VIEW_FIELDS = Object.keys(UserViewFields.shape) as (keyof typeof UserViewFields.shape)[];

/** What admins see of a user: the fields its view lists, API access, and its last use. */
export async function describeUser(security: SecurityReads, user: User): Promise<UserView> {
  let lastUsedAt: string | null = null;
  for (const credential of await security.listCredentials(user.id)) {
    if (credential.lastUsedAt && (!lastUsedAt || credential.lastUsedAt > lastUsedAt)) lastUsedAt = credential.lastUsedAt;
  }
  const fields = Object.fromEntries(VIEW_FIELDS.map((field) => [field, user[field]])) as Omit<UserView, 'apiAccess' | 'lastUsedAt'>;
  return { ...fields, apiAccess: { authorized: user.apiAuthorized }, lastUsedAt };
}

export interface UserQuery {
  /** Case-insensitive substring of the username, e-mail, name or surname. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Users read from the store per round while a page fills: a page seldom needs a second one. */
const USER_BATCH = 500;

/**
 * One page of the users the actor may manage, by username. The cursor carries the last username
 * served (usernames are unique regardless of case), so users created or deleted between pages never
 * shift a page. Users are read in username order in batches and the reach and the search applied to
 * them until the page is full, so a page costs the users it passes over, never the whole store.
 */
export async function pageUsers(services: Services, actor: Actor, query: UserQuery): Promise<{ users: User[]; nextCursor: string | null }> {
  const security = services.store.security;
  const needle = query.q?.trim().toLowerCase() ?? '';
  let after = query.cursor === undefined ? undefined : decodeListCursor('users', needle, query.cursor, isString);
  const scope = await adminScope(services, security, actor);
  const users: User[] = [];
  const batchSize = Math.max(query.limit + 1, USER_BATCH);
  for (;;) {
    const batch = await security.listUsersByUsername(after, batchSize);
    for (const user of batch) {
      if (needle && !matchesNeedle(user, needle)) continue;
      if (!(await scope.canManage(user))) continue;
      if (users.length === query.limit) {
        return { users, nextCursor: encodeListCursor('users', needle, users[users.length - 1].username.toLowerCase()) };
      }
      users.push(user);
    }
    if (batch.length < batchSize) return { users, nextCursor: null };
    after = batch[batch.length - 1].username.toLowerCase();
  }
}

function matchesNeedle(user: User, needle: string): boolean {
  return [user.username, user.email, user.name, user.surname].some((field) => field.toLowerCase().includes(needle));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The user, if the actor may manage it; otherwise `not_found`, word for word as a missing one. */
export function getManagedUser(services: Services, actor: Actor, id: string): Promise<User> {
  return managedUserIn(services, services.store.security, actor, id);
}

export function createUser(services: Services, actor: Actor, input: unknown): Promise<User> {
  const fields = parseInput(NewUserBody, input);
  const organizations = unique(fields.organizations ?? []);
  const roles = unique<Role>(fields.roles ?? ['member']);
  const teams = unique(fields.teams ?? []);
  const allowedIps = fields.allowedIps ?? [];
  return services.store.security.transaction(async (tx) => {
    const scope = await adminScope(services, tx, actor);
    await scope.checkHandsOut({ roles, organizations, teams, grants: {}, settings: { warehouse: '', priceCustomer: '' } });
    await checkReferences(tx, { organizations, teams, allowedIps });
    const now = services.now().toISOString();
    const user: User = {
      id: randomUUID(),
      username: fields.username,
      email: fields.email,
      name: fields.name ?? '',
      surname: fields.surname ?? '',
      description: fields.description ?? '',
      kind: fields.kind,
      roles,
      organizations,
      teams,
      active: true,
      allowedIps,
      settings: { warehouse: '', priceCustomer: '' },
      grants: {},
      apiAuthorized: false,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insertUser(user);
    tx.audit(auditEntryOf(actor, 'user.create', user.username, services.now()));
    return user;
  });
}

export function updateUser(services: Services, actor: Actor, id: string, input: unknown): Promise<User> {
  const changes = parseInput(UserChangesBody, input);
  if (changes.roles) changes.roles = unique(changes.roles);
  if (changes.organizations) changes.organizations = unique(changes.organizations);
  if (changes.teams) changes.teams = unique(changes.teams);
  return services.store.security.transaction(async (tx) => {
    const user = await managedUserIn(services, tx, actor, id);
    const accessFields = (['roles', 'organizations', 'teams', 'active', 'allowedIps'] as const).filter((field) => field in changes);
    if (accessFields.length > 0) checkNotOwnAccess(actor.principal, user, `change your own ${accessFields.join(', ')}`);
    if (isSelf(actor, user) && changes.active === false) throw forbidden('You cannot deactivate yourself; ask another admin.');
    // Only a change of what the user holds can hand anything out; a profile change never does.
    if (changes.roles || changes.organizations || changes.teams) {
      await (await adminScope(services, tx, actor)).checkHandsOut({ ...user, ...changes });
    }
    await checkReferences(tx, changes);
    const updated = await tx.patchUser(user.id, { ...changes, updatedAt: services.now().toISOString() });
    tx.audit(auditEntryOf(actor, `user.update ${Object.keys(changes).join(',')}`, user.username, services.now()));
    return updated;
  });
}

/** Deletes the user; every credential of it stops working at once (kept, revoked, for the audit trail). */
export function deleteUser(services: Services, actor: Actor, id: string): Promise<void> {
  return services.store.security.transaction(async (tx) => {
    const user = await managedUserIn(services, tx, actor, id);
    if (isSelf(actor, user)) throw forbidden('You cannot delete yourself.');
    await revokeAllInto(tx, user.id, services.now().toISOString());
    await tx.removeUser(user.id);
    tx.audit(auditEntryOf(actor, 'user.delete', user.username, services.now()));
  });
}

/** Sets per-table highest formats; tables not named keep their grant. Returns every grant. */
export function setGrants(services: Services, actor: Actor, id: string, input: unknown): Promise<Record<string, Format>> {
  const grants = parseInput(GrantsBody, input);
  for (const table of Object.keys(grants)) {
    if (!services.tables.get(table)) throw invalidRequest(`Field "${table}": no such table.`);
  }
  // Merged inside the transaction: two concurrent grant changes must both survive.
  return services.store.security.transaction(async (tx) => {
    const user = await managedUserIn(services, tx, actor, id);
    checkNotOwnAccess(actor.principal, user, 'change your own grants');
    const merged = { ...user.grants, ...grants };
    await (await adminScope(services, tx, actor)).checkHandsOut({ ...user, grants: merged });
    const updated = await tx.patchUser(user.id, { grants: merged, updatedAt: services.now().toISOString() });
    tx.audit(auditEntryOf(actor, `grants.set ${JSON.stringify(grants)}`, user.username, services.now()));
    return allGrants(services, updated.grants);
  });
}

/** Every table with its grant for this user (`none` where none was given). */
export function allGrants(services: Services, grants: Record<string, Format>): Record<string, Format> {
  return Object.fromEntries(services.tables.list().map((table) => [table.id, grants[table.id] ?? 'none']));
}

export function setSettings(services: Services, actor: Actor, id: string, input: unknown): Promise<User> {
  const settings = parseInput(SettingsBody, input);
  return services.store.security.transaction(async (tx) => {
    const user = await managedUserIn(services, tx, actor, id);
    checkNotOwnAccess(actor.principal, user, 'change your own data settings');
    const merged = { ...user.settings, ...settings };
    await (await adminScope(services, tx, actor)).checkHandsOut({ ...user, settings: merged });
    const updated = await tx.patchUser(user.id, { settings: merged, updatedAt: services.now().toISOString() });
    tx.audit(auditEntryOf(actor, 'settings.set', user.username, services.now()));
    return updated;
  });
}

function isSelf(actor: Actor, user: User): boolean {
  return actor.principal.kind === 'user' && actor.principal.user.id === user.id;
}

async function checkReferences(
  tx: SecurityTransaction,
  refs: { organizations?: string[]; teams?: string[]; allowedIps?: string[] },
): Promise<void> {
  for (const [index, id] of (refs.organizations ?? []).entries()) {
    if (!(await tx.getOrganization(id))) throw invalidRequest(`Field "organizations.${index}": no organization "${id}".`);
  }
  for (const [index, id] of (refs.teams ?? []).entries()) {
    if (!(await tx.getTeam(id))) throw invalidRequest(`Field "teams.${index}": no team "${id}".`);
  }
  for (const [index, entry] of (refs.allowedIps ?? []).entries()) {
    if (!parseIpRange(entry)) throw invalidRequest(`Field "allowedIps.${index}": "${entry}" is not an IP address or CIDR range.`);
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
