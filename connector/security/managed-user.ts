import type { Services } from '../deps';
import { notFound } from '../errors';
import type { SecurityReads, User } from '../store/types';
import type { Actor } from './actor';
import { adminScopeOf, type AdminScope } from './admin-scope';

/** The actor's admin scope, reading through `security` (the store, or the transaction at hand). */
export function adminScope(services: Services, security: SecurityReads, actor: Actor): Promise<AdminScope> {
  return adminScopeOf(actor.principal, { security, tables: services.tables, rows: services.store.rows });
}

/**
 * The user, if the actor may manage it; otherwise `not_found`, word for word as for a user that
 * does not exist, so a portal admin learns nothing of users outside its reach. Inside a
 * transaction, pass it as `security`: the check and the change then see the same user.
 */
export async function managedUserIn(services: Services, security: SecurityReads, actor: Actor, id: string): Promise<User> {
  const user = await security.getUser(id);
  if (!user || !(await (await adminScope(services, security, actor)).canManage(user))) throw notFound('No such user.');
  return user;
}
