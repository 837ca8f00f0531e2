import { z } from '@hono/zod-openapi';
import { FORMATS, ROLES } from '../contract';

// Path parameters and response shapes of the admin API; the request bodies are the domain's
// (connector/domain/), which the services validate with.

/** An instant as the connector writes it (`toISOString()`, UTC). Response shapes only: never parsed. */
const timestamp = z.iso.datetime();

export const UserIdParams = z.object({ id: z.string().min(1).max(100) });
export const CredentialParams = UserIdParams.extend({ cid: z.string().min(1).max(100) });

export const ApiAccessBody = z.object({ authorized: z.boolean() }).strict();

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    email: z.string(),
    name: z.string(),
    surname: z.string(),
    description: z.string(),
    kind: z.enum(['portal', 'api']),
    roles: z.array(z.enum(ROLES)),
    organizations: z.array(z.string()),
    teams: z.array(z.string()),
    active: z.boolean(),
    allowedIps: z.array(z.string()),
    settings: z.object({ warehouse: z.string(), priceCustomer: z.string() }),
    grants: z.record(z.string(), z.enum(FORMATS)),
    apiAccess: z.object({ authorized: z.boolean() }),
    lastUsedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('User');

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

export const AuditEntrySchema = z
  .object({
    at: timestamp,
    actor: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    outcome: z.string(),
  })
  .openapi('AuditEntry');

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

export const CredentialSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    name: z.string(),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable(),
    lastUsedIp: z.string().nullable(),
    revokedAt: timestamp.nullable(),
  })
  .openapi('Credential');

export const IssuedCredentialSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    key: z.string(),
    name: z.string(),
    createdAt: timestamp,
    expiresAt: timestamp.nullable(),
  })
  .openapi('IssuedCredential');

export const TokenAndKeySchema = z.object({ token: z.string(), key: z.string() }).openapi('TokenAndKey');

export const OrganizationSchema = z
  .object({ id: z.string(), name: z.string(), kind: z.enum(['provider', 'client']), parent: z.string().nullable(), createdAt: timestamp })
  .openapi('Organization');

export const TeamSchema = z.object({ id: z.string(), name: z.string(), createdAt: timestamp }).openapi('Team');

