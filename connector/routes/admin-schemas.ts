import { z } from '@hono/zod-openapi';
import { FORMATS, ROLES } from '../contract';

// Path parameters and response shapes of the admin API; the request bodies are the domain's
// (connector/domain/), which the services validate with.

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
    lastUsedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const UserPageSchema = z.object({ users: z.array(UserSchema), nextCursor: z.string().nullable() }).openapi('UserPage');

const cursor = z.string().min(1).max(2000).optional();

export const UserListQuery = z.object({
  q: z.string().max(254).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor,
});

export const AuditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    outcome: z.string(),
  })
  .openapi('AuditEntry');

export const AuditPageSchema = z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi('AuditPage');

const auditFilter = z.string().min(1).max(500).optional();

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(10000).default(100),
  cursor,
  actor: auditFilter,
  action: auditFilter,
  target: auditFilter,
  outcome: auditFilter,
});

export const CredentialSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    name: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    lastUsedIp: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('Credential');

export const IssuedCredentialSchema = z
  .object({
    id: z.string(),
    token: z.string(),
    key: z.string(),
    name: z.string(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
  })
  .openapi('IssuedCredential');

export const TokenAndKeySchema = z.object({ token: z.string(), key: z.string() }).openapi('TokenAndKey');

export const OrganizationSchema = z
  .object({ id: z.string(), name: z.string(), kind: z.enum(['provider', 'client']), parent: z.string().nullable(), createdAt: z.string() })
  .openapi('Organization');

export const TeamSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string() }).openapi('Team');

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
