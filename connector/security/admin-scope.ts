import { ROLES, type Role } from '../contract';
import { forbidden } from '../errors';
import type { Organization, SecurityRepository, User } from '../store/types';
import { isSystemAdmin, type Principal } from './principal';

// Who may manage whom. A system admin manages everyone. A portal admin manages only users in an
// organization it administers (its own, and a provider's client organizations), never a system
// admin, and never hands out a role above its own.

/** Organization ids a principal administers; null means all of them. */
export function administeredOrganizations(principal: Principal, security: SecurityRepository): Set<string> | null {
  if (isSystemAdmin(principal)) return null;
  if (principal.kind !== 'user' || !principal.user.roles.includes('portal-admin')) return new Set();
  return withClientOrganizations(principal.user.organizations, security.listOrganizations());
}

/** The given organizations plus, for each provider among them, its client organizations. */
export function withClientOrganizations(ids: readonly string[], organizations: readonly Organization[]): Set<string> {
  const result = new Set(ids);
  for (const org of organizations) {
    if (org.parent && result.has(org.parent) && organizations.some((p) => p.id === org.parent && p.kind === 'provider')) {
      result.add(org.id);
    }
  }
  return result;
}

export function canManageUser(principal: Principal, target: User, security: SecurityRepository): boolean {
  const orgs = administeredOrganizations(principal, security);
  if (orgs === null) return true;
  if (target.roles.includes('system-admin')) return false;
  return target.organizations.some((id) => orgs.has(id));
}

/**
 * Refuses role or organization assignments beyond what the principal administers. On a change,
 * only the organizations added or removed must be administered: a portal admin keeps, untouched,
 * a user's membership elsewhere, and cannot take it away.
 */
export function checkAssignable(
  principal: Principal,
  security: SecurityRepository,
  assignment: { roles?: readonly Role[]; organizations?: readonly string[]; currentOrganizations?: readonly string[] },
): void {
  const orgs = administeredOrganizations(principal, security);
  if (orgs === null) return;
  const ownRank = Math.min(...(principal.kind === 'user' ? principal.user.roles.map(roleRank) : [0]));
  for (const role of assignment.roles ?? []) {
    if (roleRank(role) < ownRank) throw forbidden(`You may not assign the role "${role}", which is above your own.`);
  }
  if (assignment.organizations) {
    const next = new Set(assignment.organizations);
    const current = new Set(assignment.currentOrganizations ?? []);
    const changed = [...next].filter((id) => !current.has(id)).concat([...current].filter((id) => !next.has(id)));
    const outside = changed.find((id) => !orgs.has(id));
    if (outside) throw forbidden(`You do not administer the organization "${outside}".`);
    if (![...next].some((id) => orgs.has(id))) {
      throw forbidden('A portal admin must keep each user in at least one organization it administers.');
    }
  }
}

/** Lower rank = more power (`system-admin` is 0). */
function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}
