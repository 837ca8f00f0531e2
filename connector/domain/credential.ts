import { z } from '@hono/zod-openapi';
import { timestamp } from './timestamp';

// What an admin may send to issue a credential (validated by the credential services).

export const NewCredentialBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInSeconds: z.number().int().positive().max(10 * 365 * 24 * 3600).optional(),
  })
  .strict();

/** A credential as the store keeps it. */
export const CredentialRecord = z.object({
  id: z.string(),
  userId: z.string(),
  token: z.string(),
  name: z.string(),
  /** HMAC-SHA-256 of the key under the server secret, hex. */
  keyDigest: z.string(),
  /** AES-256-GCM ciphertext of the key, so an admin can copy it again. */
  keyCiphertext: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  lastUsedAt: timestamp.nullable(),
  lastUsedIp: z.string().nullable(),
});
export type Credential = z.infer<typeof CredentialRecord>;

/** What admins may see of a credential: never the key, its digest or its ciphertext. */
export const CredentialSchema = CredentialRecord.pick({
  id: true,
  token: true,
  name: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  revokedAt: true,
}).openapi('Credential');
export type CredentialView = z.infer<typeof CredentialSchema>;

/** A credential as it is issued: the only answer but "copy key" that carries its key. */
export const IssuedCredentialSchema = CredentialRecord.pick({ id: true, token: true, name: true, createdAt: true, expiresAt: true })
  .extend({ key: z.string() })
  .openapi('IssuedCredential');
export type IssuedCredential = z.infer<typeof IssuedCredentialSchema>;
