import { randomUUID } from 'node:crypto';
import type { Services } from '../deps';
import { ApiError, conflict, notFound } from '../errors';
import { checkNotOwnAccess } from '../security/admin-scope';
import { getManagedUser } from '../security/managed-user';
import type { Principal } from '../security/principal';
import type { Credential, SecurityDraft, User } from '../store/types';
import { generateKey, generateToken } from './key-format';
import type { KeyVault } from './vault';

// The life of a credential: authorize (a NEW pair every time), issue more, regenerate, revoke,
// copy again, de-authorize. Each takes the acting principal: only a user it manages, and never a
// new key of its own unless it is a system admin (taking access away is always allowed). Every
// change goes through the store's serialized writer.

const OWN_KEYS = 'issue, regenerate or copy keys of your own credentials';

export interface IssuedCredential {
  id: string;
  token: string;
  key: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
}

/** What admins may see of a credential: never the key, its digest or its ciphertext. */
export interface CredentialView {
  id: string;
  token: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
}

export function describeCredential(credential: Credential): CredentialView {
  const { id, token, name, createdAt, expiresAt, lastUsedAt, lastUsedIp, revokedAt } = credential;
  return { id, token, name, createdAt, expiresAt, lastUsedAt, lastUsedIp, revokedAt };
}

export const DEFAULT_CREDENTIAL_NAME = 'default';

/** Turns API access on and returns a brand-new pair (earlier live credentials stay as they are). */
export function authorize(services: Services, actor: Principal, userId: string): Promise<IssuedCredential> {
  checkNotOwnAccess(actor, getManagedUser(services, actor, userId), OWN_KEYS);
  return services.store.security.update((draft) => {
    requireUser(services, userId);
    draft.patchUser(userId, { apiAuthorized: true, updatedAt: services.now().toISOString() });
    return issueInto(draft, services, userId, DEFAULT_CREDENTIAL_NAME, null);
  });
}

/** Turns API access off: every credential of the user is revoked at once. */
export function deauthorize(services: Services, actor: Principal, userId: string): Promise<void> {
  getManagedUser(services, actor, userId);
  return services.store.security.update((draft) => {
    requireUser(services, userId);
    const now = services.now().toISOString();
    draft.patchUser(userId, { apiAuthorized: false, updatedAt: now });
    revokeAllInto(draft, services, userId, now);
  });
}

/** A further named credential; refused while API access is off. */
export function issueCredential(
  services: Services,
  actor: Principal,
  userId: string,
  name: string,
  expiresInSeconds: number | null,
): Promise<IssuedCredential> {
  checkNotOwnAccess(actor, getManagedUser(services, actor, userId), OWN_KEYS);
  return services.store.security.update((draft) => {
    const user = requireUser(services, userId);
    if (!user.apiAuthorized) throw conflict('API access is off for this user; authorize the user first.');
    return issueInto(draft, services, userId, name, expiresInSeconds);
  });
}

/** A new key for the same token; the old key is simply wrong from the next request on. */
export function regenerateKey(
  services: Services,
  actor: Principal,
  userId: string,
  credentialId: string,
): Promise<{ token: string; key: string }> {
  checkNotOwnAccess(actor, getManagedUser(services, actor, userId), OWN_KEYS);
  return services.store.security.update((draft) => {
    const credential = requireLiveCredential(services, userId, credentialId);
    const key = generateKey();
    draft.patchCredential(credential.id, sealKey(services.vault, credential.id, key));
    return { token: credential.token, key };
  });
}

export function revokeCredential(services: Services, actor: Principal, userId: string, credentialId: string): Promise<void> {
  getManagedUser(services, actor, userId);
  return services.store.security.update((draft) => {
    const credential = requireCredential(services, userId, credentialId);
    if (!credential.revokedAt) draft.patchCredential(credential.id, { revokedAt: services.now().toISOString() });
  });
}

/** The admin's "copy key": decrypts the stored copy. Callers audit it. */
export function copyKey(services: Services, actor: Principal, userId: string, credentialId: string): { token: string; key: string } {
  checkNotOwnAccess(actor, getManagedUser(services, actor, userId), OWN_KEYS);
  const credential = requireLiveCredential(services, userId, credentialId);
  return { token: credential.token, key: services.vault.decrypt(credential.keyCiphertext, credential.id) };
}

/** Revokes every credential of a user inside an ongoing update (de-authorize, delete). */
export function revokeAllInto(draft: SecurityDraft, services: Services, userId: string, now: string): void {
  for (const credential of services.store.security.listCredentials(userId)) {
    if (!credential.revokedAt) draft.patchCredential(credential.id, { revokedAt: now });
  }
}

function issueInto(
  draft: SecurityDraft,
  services: Services,
  userId: string,
  name: string,
  expiresInSeconds: number | null,
): IssuedCredential {
  const live = services.store.security.listCredentials(userId).filter((c) => !c.revokedAt).length;
  if (live >= services.config.maxCredentialsPerUser) {
    throw conflict(`This user already has ${live} live credentials, the most allowed; revoke one first.`);
  }
  const now = services.now();
  const id = randomUUID();
  const key = generateKey();
  const credential: Credential = {
    id,
    userId,
    token: generateToken(),
    name,
    ...sealKey(services.vault, id, key),
    createdAt: now.toISOString(),
    expiresAt: expiresInSeconds === null ? null : new Date(now.getTime() + expiresInSeconds * 1000).toISOString(),
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
  };
  draft.insertCredential(credential);
  return { id, token: credential.token, key, name, createdAt: credential.createdAt, expiresAt: credential.expiresAt };
}

function sealKey(vault: KeyVault, credentialId: string, key: string): Pick<Credential, 'keyDigest' | 'keyCiphertext'> {
  return { keyDigest: vault.digest(key), keyCiphertext: vault.encrypt(key, credentialId) };
}

function requireUser(services: Services, userId: string): User {
  const user = services.store.security.getUser(userId);
  if (!user) throw notFound('No such user.');
  return user;
}

function requireCredential(services: Services, userId: string, credentialId: string): Credential {
  const credential = services.store.security.getCredential(credentialId);
  if (!credential || credential.userId !== userId) throw notFound('No such credential for this user.');
  return credential;
}

function requireLiveCredential(services: Services, userId: string, credentialId: string): Credential {
  const credential = requireCredential(services, userId, credentialId);
  if (credential.revokedAt) throw new ApiError('conflict', 'This credential was revoked; issue a new one instead.');
  return credential;
}
