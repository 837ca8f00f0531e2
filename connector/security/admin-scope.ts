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
  // Two passes, never a search inside the loop: every data request asks this, and a provider may
  // have thousands of clients. Only clients have a parent, and a parent is always a provider.
  const providers = new Set(organizations.filter((org) => org.kind === 'provider' && result.has(org.id)).map((org) => org.id));
  if (providers.size === 0) return result;
  for (const org of organizations) {
    if (org.parent && providers.has(org.parent)) result.add(org.id);
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
 * Refuses role, organization or team assignments beyond what the principal holds. On a change,
 * only the memberships added or removed count: a portal admin keeps, untouched, a user's
 * membership elsewhere, and cannot take it away. Teams are not owned by organizations, so a
 * portal admin hands out only teams it belongs to itself.
 */
export function checkAssignable(
  principal: Principal,
  security: SecurityRepository,
  assignment: {
    roles?: readonly Role[];
    organizations?: readonly string[];
    currentOrganizations?: readonly string[];
    teams?: readonly string[];
    currentTeams?: readonly string[];
  },
): void {
  const orgs = administeredOrganizations(principal, security);
  if (orgs === null || principal.kind !== 'user') return;
  const ownRank = Math.min(...principal.user.roles.map(roleRank));
  for (const role of assignment.roles ?? []) {
    if (roleRank(role) < ownRank) throw forbidden(`You may not assign the role "${role}", which is above your own.`);
  }
  if (assignment.organizations) {
    const outside = changedMembers(assignment.organizations, assignment.currentOrganizations).find((id) => !orgs.has(id));
    if (outside) throw forbidden(`You do not administer the organization "${outside}".`);
    if (!assignment.organizations.some((id) => orgs.has(id))) {
      throw forbidden('A portal admin must keep each user in at least one organization it administers.');
    }
  }
  if (assignment.teams) {
    const ownTeams = new Set(principal.user.teams);
    const outside = changedMembers(assignment.teams, assignment.currentTeams).find((id) => !ownTeams.has(id));
    if (outside) throw forbidden(`You may only hand out teams you belong to, and not "${outside}".`);
  }
}

/**
 * Nobody but a system admin widens their own access: a portal admin's own roles, memberships,
 * grants, settings and IP ranges are a system admin's to change.
 */
export function checkNotOwnAccess(principal: Principal, target: User, what: string): void {
  if (principal.kind === 'user' && principal.user.id === target.id && !isSystemAdmin(principal)) {
    throw forbidden(`You cannot change your own ${what}; ask a system admin.`);
  }
}

/** Ids in one list and not the other: what a change adds or removes. */
function changedMembers(next: readonly string[], current: readonly string[] = []): string[] {
  const before = new Set(current);
  const after = new Set(next);
  return [...after].filter((id) => !before.has(id)).concat([...before].filter((id) => !after.has(id)));
}

/** Lower rank = more power (`system-admin` is 0). */
function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}
