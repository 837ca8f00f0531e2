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
