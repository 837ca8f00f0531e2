import { z } from '@hono/zod-openapi';

// What an admin may send to issue a credential (validated by the credential services).

export const NewCredentialBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    expiresInSeconds: z.number().int().positive().max(10 * 365 * 24 * 3600).optional(),
  })
  .strict();
