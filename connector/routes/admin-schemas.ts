import { z } from '@hono/zod-openapi';
import { AuditEntrySchema } from '../domain/audit';
import { UserSchema } from '../domain/user';

// Path parameters, queries and pages of the admin API. Entities and request bodies are the
// domain's (connector/domain/): one schema each, which the services validate with.

export const UserIdParams = z.object({ id: z.string().min(1).max(100) });
export const CredentialParams = UserIdParams.extend({ cid: z.string().min(1).max(100) });

export const ApiAccessBody = z.object({ authorized: z.boolean() }).strict();

export const UserPageSchema = z.object({ users: z.array(UserSchema), nextCursor: z.string().nullable() }).openapi('UserPage');

const cursor = z
  .string()
  .min(1)
  .max(2000)
  .optional()
  .openapi({ description: 'The `nextCursor` of the previous page; leave out for the first page.' });

export const UserListQuery = z.object({
  q: z.string().max(254).optional().openapi({ description: 'Case-insensitive substring of the username, e-mail, name or surname.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: 'Users per page.' }),
  cursor,
});

export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi('AuditPage');

const auditFilter = (description: string) => z.string().min(1).max(500).optional().openapi({ description });

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10000).default(100).openapi({ description: 'Entries per page.' }),
  cursor,
  actor: auditFilter('Exactly this actor: a username, `admin-key`, `cli` or `anonymous`.'),
  action: auditFilter('Exactly this action; ending in `.` every action with that prefix (`credential.`).'),
  target: auditFilter('Exactly this target.'),
  outcome: auditFilter('Exactly this outcome (`ok` or a refusal\'s error code).'),
});

export const TokenAndKeySchema = z.object({ token: z.string(), key: z.string() }).openapi('TokenAndKey');

