import { z } from '@hono/zod-openapi';
import { timestamp } from './timestamp';

/** One audited event. Targets are ids and names, never a key or digest. */
export const AuditEntrySchema = z
  .object({
    at: timestamp,
    /** Who acted: a username, `admin-key`, `cli`, or `anonymous`. */
    actor: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    /** `ok`, or the error code of a refused request. */
    outcome: z.string(),
  })
  .openapi('AuditEntry');
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
