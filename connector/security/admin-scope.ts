import { ROLES, type Role } from '../contract';
import { ApiError, forbidden } from '../errors';
import type { Organization, User } from '../store/types';
import { isSystemAdmin, type Principal } from './principal';
import { isWithin, overreach, reachOf, type Holdings, type Reach, type ReachContext } from './reach';

// Who may manage whom, and what they may hand out: the contract's "portal admins act only inside
// their own reach", decided here and nowhere else. A system admin, the admin key and the operator
// are not bounded. A portal admin manages a user only when the user's whole reach lies inside its
// own (and the user is in at least one organization it administers), never another portal admin
// or a system admin, and hands out only what it holds itself.

/** What one principal may do as an admin, worked out once per request. */
export interface AdminScope {
  /** Null: not bounded (system admin, admin key, operator). */
  readonly reach: Reach | null;
  /** Lists, reads, changes, authorizes, copies, regenerates, issues to, deletes. */
  canManage(target: User): Promise<boolean>;
  /**
   * Refuses a user's state after a change (or at creation) that holds more than the admin does:
   * 403 naming what is over (400 for a setting naming a row the admin cannot read).
   */
  checkHandsOut(next: Holdings & { roles: readonly Role[] }): Promise<void>;
}

export async function adminScopeOf(principal: Principal, context: ReachContext): Promise<AdminScope> {
  if (isSystemAdmin(principal) || principal.kind !== 'user') {
    return { reach: null, canManage: async () => true, checkHandsOut: async () => {} };
  }
  const self = principal.user;
  const isPortalAdmin = self.roles.includes('portal-admin');
  const reach = reachOf(self, await context.security.listOrganizations());
  const ownRank = Math.min(...self.roles.map(roleRank));
  return {
    reach,
    async canManage(target) {
      if (!isPortalAdmin) return false;
      if (target.id === self.id) return true;
      if (target.roles.some((role) => role !== 'member')) return false;
      // A user in no organization of the admin's is not the admin's, however little it holds.
      if (!target.organizations.some((id) => reach.organizations.has(id))) return false;
      return isWithin(target, reach, context);
    },
    async checkHandsOut(next) {
      for (const role of next.roles) {
        if (roleRank(role) < ownRank) throw forbidden(`You may not assign the role "${role}", which is above your own.`);
      }
      if (!next.organizations.some((id) => reach.organizations.has(id))) {
        throw forbidden('A portal admin must keep each user in at least one organization it administers.');
      }
      const over = await overreach(next, reach, context);
      if (over) throw new ApiError(over.status, over.message);
    },
  };
}

/** Organization ids a principal administers, given every organization; null means all of them. */
export function administeredOrganizations(principal: Principal, organizations: readonly Organization[]): Set<string> | null {
  if (isSystemAdmin(principal)) return null;
  if (principal.kind !== 'user' || !principal.user.roles.includes('portal-admin')) return new Set();
  return withClientOrganizations(principal.user.organizations, organizations);
}

/** The given organizations plus, for each provider among them, its client organizations. */
export function withClientOrganizations(ids: readonly string[], organizations: readonly Organization[]): Set<string> {
  const result = new Set(ids);
  // Two passes, never a search inside the loop: every data request asks this, and a provider may
  // have thousands of clients. Only clients have a parent, and a parent is always a provider.
  const providers = new Set(organizations.filter((org) => org.kind === 'provider' && result.has(org.id)).map((org) => org.id));
  if (providers.size === 0) return result;
  for (const org of organizations) {
    if (org.parent && providers.has(org.parent)) result.add(org.id);
  }
  return result;
}

/**
 * Nobody but a system admin widens their own access: a portal admin's own roles, memberships,
 * grants, settings, IP ranges and credentials (issuing, regenerating, copying) are a system admin's
 * to change. Taking access away (revoking its own credential) stays allowed.
 */
export function checkNotOwnAccess(principal: Principal, target: User, action: string): void {
  if (principal.kind === 'user' && principal.user.id === target.id && !isSystemAdmin(principal)) {
    throw forbidden(`You may not ${action}; ask a system admin.`);
  }
}

/** Lower rank = more power (`system-admin` is 0). */
function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}
