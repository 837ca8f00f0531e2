import { z } from '@hono/zod-openapi';
import { FORMATS, ROLES } from '../contract';
import { timestamp } from './timestamp';

// What an admin may send about a user, validated by the user services (so the CLI refuses what
// the routes refuse) and described by the routes' OpenAPI document. Objects are strict: a field
// the caller may not set (id, grants, apiAccess, timestamps, ...) is refused, never applied.

const shortText = (max: number) => z.string().trim().max(max);
const ids = z.array(z.string().min(1).max(100)).max(200);

const profile = {
  username: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'use letters, digits and . _ @ - only'),
  email: z.email().max(254),
  name: shortText(100),
  surname: shortText(100),
  description: shortText(1000),
};

export const NewUserBody = z
  .object({
    ...profile,
    name: profile.name.optional(),
    surname: profile.surname.optional(),
    description: profile.description.optional(),
    kind: z.enum(['portal', 'api']),
    roles: z.array(z.enum(ROLES)).max(ROLES.length).optional(),
    organizations: ids.optional(),
    teams: ids.optional(),
    allowedIps: z.array(z.string().max(64)).max(100).optional(),
  })
  .strict()
  .openapi('NewUser');

export const UserChangesBody = z
  .object({
    ...profile,
    active: z.boolean(),
    roles: z.array(z.enum(ROLES)).max(ROLES.length),
    organizations: ids,
    teams: ids,
    allowedIps: z.array(z.string().max(64)).max(100),
  })
  .partial()
  .strict()
  .openapi('UserChanges');

export const GrantsBody = z
  .record(
    z.string().max(64),
    z.enum(FORMATS, { error: (issue) => `"${String(issue.input)}" is not a format (none, basic, standard, detail, expanded)` }),
  )
  .openapi('Grants');

export const SettingsBody = z
  .object({ warehouse: shortText(100), priceCustomer: shortText(100) })
  .partial()
  .strict()
  .openapi('Settings');

export type NewUserInput = z.infer<typeof NewUserBody>;
export type UserChangesInput = z.infer<typeof UserChangesBody>;

/** A user as the store keeps it: the one shape every adapter reads and writes. */
export const UserRecord = z.object({
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
  /** IPv4/IPv6 addresses and CIDR ranges; empty = any. */
  allowedIps: z.array(z.string()),
  /** Trimmed when read; blank means "none". */
  settings: z.object({ warehouse: z.string(), priceCustomer: z.string() }),
  /** Highest format per table id; a table not named here is `none`. */
  grants: z.record(z.string(), z.enum(FORMATS)),
  apiAuthorized: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type User = z.infer<typeof UserRecord>;
export type UserSettings = User['settings'];

/** What admins see of a user: the record's fields but `apiAuthorized`, which shows as `apiAccess`. */
export const UserViewFields = UserRecord.omit({ apiAuthorized: true });
export const UserSchema = UserViewFields.extend({
  apiAccess: z.object({ authorized: z.boolean() }),
  lastUsedAt: timestamp.nullable(),
}).openapi('User');
export type UserView = z.infer<typeof UserSchema>;
