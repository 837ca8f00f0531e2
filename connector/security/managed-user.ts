import type { Services } from '../deps';
import { notFound } from '../errors';
import type { User } from '../store/types';
import { adminScopeOf, type AdminScope } from './admin-scope';
import type { Principal } from './principal';
import type { ReachContext } from './reach';

export function reachContext(services: Services): ReachContext {
  return { security: services.store.security, tables: services.tables, rows: services.store.rows };
}

export function adminScope(services: Services, actor: Principal): AdminScope {
  return adminScopeOf(actor, reachContext(services));
}

/**
 * The user, if the actor may manage it; otherwise `not_found`, word for word as for a user that
 * does not exist, so a portal admin learns nothing of users outside its reach.
 */
export function getManagedUser(services: Services, actor: Principal, id: string): User {
  const user = services.store.security.getUser(id);
  if (!user || !adminScope(services, actor).canManage(user)) throw notFound('No such user.');
  return user;
}
