import type { Credential } from '../store/types';
import { sealKey } from './lifecycle';
import type { KeyVault } from './vault';

/** A stored key that `vault` cannot open or that does not match its digest: the wrong secret. */
export class KeyMismatchError extends Error {
  constructor(readonly credential: Credential) {
    super(`The server secret does not open the key of credential ${credential.id}.`);
    this.name = 'KeyMismatchError';
  }
}

/**
 * A credential as a store under `to`'s secret must hold it. Its key is opened under `from` and
 * checked against its digest first: a wrong secret is refused here rather than yielding a store
 * whose keys all fail. `to` absent: the secret stays, and digest and ciphertext are kept as they are.
 */
export function resealCredential(credential: Credential, from: KeyVault, to?: KeyVault): Credential {
  let key: string;
  try {
    key = from.decrypt(credential.keyCiphertext, credential.id);
  } catch {
    throw new KeyMismatchError(credential);
  }
  if (!from.matches(key, credential.keyDigest)) throw new KeyMismatchError(credential);
  if (!to) return credential;
  return { ...credential, ...sealKey(to, credential.id, key) };
}
