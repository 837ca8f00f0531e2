import { randomUUID } from 'node:crypto';
import type { Services } from '../deps';
import { CredentialSchema, NewCredentialBody, type CredentialView, type IssuedCredential } from '../domain/credential';
import { parseInput } from '../domain/validate';
import { ApiError, conflict, notFound } from '../errors';
import { auditEntryOf, type Actor } from '../security/actor';
import { checkNotOwnAccess } from '../security/admin-scope';
import { managedUserIn } from '../security/managed-user';
import type { Credential, SecurityReads, SecurityTransaction, User } from '../store/types';
import { generateKey, generateToken } from './key-format';
import type { KeyVault } from './vault';

// The life of a credential: authorize (a NEW pair every time), issue more, regenerate, revoke,
// copy again, de-authorize. Each takes the actor: only a user it manages, and never a new key of
// its own unless it is a system admin (taking access away is always allowed). Each runs in one
// transaction with its audit entry.

const OWN_KEYS = 'issue, regenerate or copy keys of your own credentials';

const VIEW_FIELDS = Object.keys(CredentialSchema.shape) as (keyof CredentialView)[];

/** What admins may see of a credential: the fields its view lists (never the key, digest or ciphertext). */
export function describeCredential(credential: Credential): CredentialView {
  return Object.fromEntries(VIEW_FIELDS.map((field) => [field, credential[field]])) as CredentialView;
}

export const DEFAULT_CREDENTIAL_NAME = 'default';

/** Whether API access is on for a managed user, and every credential of it (never a key). */
export async function describeApiAccess(services: Services, actor: Actor, userId: string) {
  const security = services.store.security;
  const user = await managedUserIn(services, security, actor, userId);
  return { authorized: user.apiAuthorized, credentials: (await security.listCredentials(user.id)).map(describeCredential) };
}

/** Turns API access on and returns a brand-new pair (earlier live credentials stay as they are). */
export function authorize(services: Services, actor: Actor, userId: string): Promise<IssuedCredential> {
  return services.store.security.transaction(async (tx) => {
    const user = await ownKeysRefused(services, tx, actor, userId);
    await tx.patchUser(user.id, { apiAuthorized: true, updatedAt: services.now().toISOString() });
    const issued = await issueInto(tx, services, user.id, DEFAULT_CREDENTIAL_NAME, null);
    tx.audit(auditEntryOf(actor, `api-access.authorize credential=${issued.id}`, user.username, services.now()));
    return issued;
  });
}

/** Turns API access off: every credential of the user is revoked at once. */
export function deauthorize(services: Services, actor: Actor, userId: string): Promise<void> {
  return services.store.security.transaction(async (tx) => {
    const user = await managedUserIn(services, tx, actor, userId);
    const now = services.now().toISOString();
    await tx.patchUser(user.id, { apiAuthorized: false, updatedAt: now });
    await revokeAllInto(tx, user.id, now);
    tx.audit(auditEntryOf(actor, 'api-access.deauthorize', user.username, services.now()));
  });
}

/** A further named credential; refused while API access is off. */
export function issueCredential(services: Services, actor: Actor, userId: string, input: unknown): Promise<IssuedCredential> {
  const { name, expiresInSeconds } = parseInput(NewCredentialBody, input);
  return services.store.security.transaction(async (tx) => {
    const user = await ownKeysRefused(services, tx, actor, userId);
    if (!user.apiAuthorized) throw conflict('API access is off for this user; authorize the user first.');
    const issued = await issueInto(tx, services, user.id, name, expiresInSeconds ?? null);
    tx.audit(auditEntryOf(actor, `credential.issue credential=${issued.id}`, user.username, services.now()));
    return issued;
  });
}

/** A new key for the same token; the old key is simply wrong from the next request on. */
export function regenerateKey(services: Services, actor: Actor, userId: string, credentialId: string): Promise<{ token: string; key: string }> {
  return services.store.security.transaction(async (tx) => {
    const user = await ownKeysRefused(services, tx, actor, userId);
    const credential = await requireLiveCredential(tx, user.id, credentialId);
    const key = generateKey();
    await tx.patchCredential(credential.id, sealKey(services.vault, credential.id, key));
    tx.audit(auditEntryOf(actor, `credential.regenerate credential=${credential.id}`, user.username, services.now()));
    return { token: credential.token, key };
  });
}

export function revokeCredential(services: Services, actor: Actor, userId: string, credentialId: string): Promise<void> {
  return services.store.security.transaction(async (tx) => {
    const user = await managedUserIn(services, tx, actor, userId);
    const credential = await requireCredential(tx, user.id, credentialId);
    if (!credential.revokedAt) await tx.patchCredential(credential.id, { revokedAt: services.now().toISOString() });
    tx.audit(auditEntryOf(actor, `credential.revoke credential=${credential.id}`, user.username, services.now()));
  });
}

/**
 * The admin's "copy key": decrypts the stored copy. The copy is on record before the key leaves:
 * the transaction resolves only once its audit entry is on disk, and if it cannot be written the
 * key is not returned (`409 conflict`, a sentence saying why; the contract has no code for it).
 */
export async function copyKey(services: Services, actor: Actor, userId: string, credentialId: string): Promise<{ token: string; key: string }> {
  const write = services.store.security.transaction(async (tx) => {
    const user = await ownKeysRefused(services, tx, actor, userId);
    const credential = await requireLiveCredential(tx, user.id, credentialId);
    tx.audit(auditEntryOf(actor, `credential.copy-key credential=${credential.id}`, user.username, services.now()));
    return credential;
  });
  let credential: Credential;
  try {
    credential = await write;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw conflict("The key was not copied: its audit entry could not be written. Ask the operator to check the connector's disk, then try again.");
  }
  return { token: credential.token, key: services.vault.decrypt(credential.keyCiphertext, credential.id) };
}

/** Revokes every credential of a user inside an ongoing transaction (de-authorize, delete). */
export async function revokeAllInto(tx: SecurityTransaction, userId: string, now: string): Promise<void> {
  for (const credential of await tx.listCredentials(userId)) {
    if (!credential.revokedAt) await tx.patchCredential(credential.id, { revokedAt: now });
  }
}

/** The managed user, unless it is the actor's own (a portal admin's new keys are a system admin's). */
async function ownKeysRefused(services: Services, tx: SecurityReads, actor: Actor, userId: string): Promise<User> {
  const user = await managedUserIn(services, tx, actor, userId);
  checkNotOwnAccess(actor.principal, user, OWN_KEYS);
  return user;
}

async function issueInto(
  tx: SecurityTransaction,
  services: Services,
  userId: string,
  name: string,
  expiresInSeconds: number | null,
): Promise<IssuedCredential> {
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
  const live = await tx.insertCredentialBelowCap(credential, services.config.maxCredentialsPerUser);
  if (live >= services.config.maxCredentialsPerUser) {
    throw conflict(`This user already has ${live} live credentials, the most allowed; revoke one first.`);
  }
  return { id, token: credential.token, key, name, createdAt: credential.createdAt, expiresAt: credential.expiresAt };
}

/** The digest and ciphertext a store keeps of `key`. */
export function sealKey(vault: KeyVault, credentialId: string, key: string): Pick<Credential, 'keyDigest' | 'keyCiphertext'> {
  return { keyDigest: vault.digest(key), keyCiphertext: vault.encrypt(key, credentialId) };
}

async function requireCredential(tx: SecurityReads, userId: string, credentialId: string): Promise<Credential> {
  const credential = await tx.getCredential(credentialId);
  if (!credential || credential.userId !== userId) throw notFound('No such credential for this user.');
  return credential;
}

async function requireLiveCredential(tx: SecurityReads, userId: string, credentialId: string): Promise<Credential> {
  const credential = await requireCredential(tx, userId, credentialId);
  if (credential.revokedAt) throw new ApiError('conflict', 'This credential was revoked; issue a new one instead.');
  return credential;
}
