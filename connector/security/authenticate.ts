import { isWellFormedKey, isWellFormedToken } from '../credentials/key-format';
import type { KeyVault } from '../credentials/vault';
import { ApiError } from '../errors';
import type { SecurityReads } from '../store/types';
import { ipInRanges } from './ip-ranges';
import type { Principal } from './principal';

export interface CredentialPresented {
  token: string | undefined;
  key: string | undefined;
  ip: string;
  now: Date;
}

/**
 * Token + key → principal, re-checking everything on every call, so a revoke, de-authorization,
 * deactivation, expiry or IP change is seen by the very next request, on this instance or any
 * other on the same database. `findPrincipal` answers from the security model as it is now: on a
 * database it may hand back a principal it kept, but only after a read has shown that nothing in
 * the model changed since (store/postgres/principal-cache.ts); the key, expiry, revocation,
 * activity and IP are checked here on every call either way.
 * Until the key is proven, every failure looks the same (`invalid_credentials`).
 */
export async function authenticate(
  presented: CredentialPresented,
  security: SecurityReads,
  vault: KeyVault,
): Promise<Extract<Principal, { kind: 'user' }>> {
  const { token, key } = presented;
  if (!token || !key) {
    throw new ApiError('missing_credentials', 'Send both the X-Api-Token and X-Api-Key headers.');
  }
  const invalid = () => new ApiError('invalid_credentials', 'The API token and key are not valid.');
  if (!isWellFormedToken(token) || !isWellFormedKey(key)) throw invalid();
  // The credential, its user and its organizations in one read, before the key is checked: a
  // known token with a wrong key costs the same round trip as an unknown one, and the vault
  // compares an unknown token's key against a decoy digest, so neither answers faster.
  const holder = await security.findPrincipal(token);
  if (!vault.matches(key, holder?.credential.keyDigest ?? null) || !holder) throw invalid();

  const { credential, user, organizations } = holder;
  if (credential.revokedAt || !user || !user.apiAuthorized) {
    throw new ApiError('credentials_revoked', 'These credentials were revoked; ask your administrator to authorize you again.');
  }
  if (credential.expiresAt && Date.parse(credential.expiresAt) <= presented.now.getTime()) {
    throw new ApiError('credentials_expired', 'These credentials have expired; ask your administrator for new ones.');
  }
  if (!user.active) {
    throw new ApiError('user_inactive', 'Your user account is deactivated; ask your administrator to reactivate it.');
  }
  if (!ipInRanges(presented.ip, user.allowedIps)) {
    throw new ApiError('ip_not_allowed', `Requests from ${presented.ip} are not allowed for this user.`);
  }
  return { kind: 'user', user, credential, organizations };
}
