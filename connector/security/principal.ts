import type { Credential, Organization, User } from '../store/types';

/**
 * Who is acting: a user through one of its credentials, the global admin key, or the operator at
 * the command line (who holds the data directory, so is trusted like a system admin). A user
 * comes with the organizations around it (its own and their clients: `CredentialHolder`), read in
 * the same statement as the user, so a page's scope needs no read of its own.
 */
export type Principal =
  | { kind: 'user'; user: User; credential: Credential; organizations: readonly Organization[] }
  | { kind: 'admin-key' }
  | { kind: 'operator' };

export const OPERATOR: Principal = { kind: 'operator' };

export function isSystemAdmin(principal: Principal): boolean {
  return principal.kind !== 'user' || principal.user.roles.includes('system-admin');
}

/** The name the audit log records for this caller. */
export function actorName(principal: Principal | null): { actor: string; actorId: string | null } {
  if (!principal) return { actor: 'anonymous', actorId: null };
  if (principal.kind === 'admin-key') return { actor: 'admin-key', actorId: null };
  if (principal.kind === 'operator') return { actor: 'cli', actorId: null };
  return { actor: principal.user.username, actorId: principal.user.id };
}

/** Data routes run only for user principals (`requireCredential`); this narrows the type. */
export function userPrincipal(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') throw new Error('A data route ran without a user principal.');
  return principal;
}
