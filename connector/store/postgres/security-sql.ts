import type { Format, Role, UserKind } from '../../contract';
import type { Credential, CredentialHolder, Organization, Team, User } from '../types';

// How the security model's entities sit in the tables of migrations/001_initial.sql and back. A
// user is one row of `users` plus its settings, memberships (in their stored position) and grants,
// read in one statement so a request's user check stays one round trip.

/** A user whole (its row, settings, memberships and grants) from `source`, a relation with the columns of `users`. */
function userSelectFrom(source: string): string {
  return `
  SELECT u.id, u.username, u.email, u.name, u.surname, u.description, u.kind, u.roles, u.active,
         u.allowed_ips, u.api_authorized, u.created_at, u.updated_at,
         coalesce(s.warehouse, '') AS warehouse, coalesce(s.price_customer, '') AS price_customer,
         ARRAY(SELECT organization_id FROM user_organizations WHERE user_id = u.id ORDER BY position) AS organizations,
         ARRAY(SELECT team_id FROM user_teams WHERE user_id = u.id ORDER BY position) AS teams,
         (SELECT coalesce(json_object_agg(table_id, format ORDER BY table_id), '{}') FROM grants WHERE user_id = u.id) AS grants
    FROM ${source} u LEFT JOIN user_settings s ON s.user_id = u.id`;
}

export const USER_SELECT = userSelectFrom('users');

/**
 * An `UPDATE users … WHERE id = $1` (updateOf's) and the user as it leaves it, in one statement: the
 * updated row comes from RETURNING (the statement's own reads of `users` would see it unchanged);
 * settings, memberships and grants are read as they stand, so only a patch leaving them be may use it.
 */
export function updatedUserSelect(update: string): string {
  return `WITH updated AS (${update} RETURNING *) ${userSelectFrom('updated')}`;
}

export interface UserRecord {
  id: string;
  username: string;
  email: string;
  name: string;
  surname: string;
  description: string;
  kind: UserKind;
  roles: Role[];
  active: boolean;
  allowed_ips: string[];
  api_authorized: boolean;
  created_at: string;
  updated_at: string;
  warehouse: string;
  price_customer: string;
  organizations: string[];
  teams: string[];
  grants: Record<string, Format>;
}

export function userFrom(record: UserRecord): User {
  return {
    id: record.id,
    username: record.username,
    email: record.email,
    name: record.name,
    surname: record.surname,
    description: record.description,
    kind: record.kind,
    roles: record.roles,
    organizations: record.organizations,
    teams: record.teams,
    active: record.active,
    allowedIps: record.allowed_ips,
    settings: { warehouse: record.warehouse, priceCustomer: record.price_customer },
    grants: record.grants,
    apiAuthorized: record.api_authorized,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
  };
}

/** The columns of `users` itself, by the User field each holds. */
export const USER_COLUMNS = {
  username: 'username',
  email: 'email',
  name: 'name',
  surname: 'surname',
  description: 'description',
  kind: 'kind',
  roles: 'roles',
  active: 'active',
  allowedIps: 'allowed_ips',
  apiAuthorized: 'api_authorized',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Partial<Record<keyof User, string>>;

export const CREDENTIAL_FIELDS =
  'id, user_id, token, name, key_digest, key_ciphertext, created_at, expires_at, revoked_at, last_used_at, last_used_ip';
export const CREDENTIAL_SELECT = `SELECT ${CREDENTIAL_FIELDS} FROM credentials`;

export interface CredentialRecord {
  id: string;
  user_id: string;
  token: string;
  name: string;
  key_digest: string;
  key_ciphertext: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export function credentialFrom(record: CredentialRecord): Credential {
  return {
    id: record.id,
    userId: record.user_id,
    token: record.token,
    name: record.name,
    keyDigest: record.key_digest,
    keyCiphertext: record.key_ciphertext,
    createdAt: record.created_at,
    expiresAt: record.expires_at,
    revokedAt: record.revoked_at,
    lastUsedAt: record.last_used_at,
    lastUsedIp: record.last_used_ip,
  };
}

/** The columns of `credentials`, by the Credential field each holds (all but id and userId). */
export const CREDENTIAL_COLUMNS = {
  token: 'token',
  name: 'name',
  keyDigest: 'key_digest',
  keyCiphertext: 'key_ciphertext',
  createdAt: 'created_at',
  expiresAt: 'expires_at',
  revokedAt: 'revoked_at',
  lastUsedAt: 'last_used_at',
  lastUsedIp: 'last_used_ip',
} as const satisfies Record<Exclude<keyof Credential, 'id' | 'userId'>, string>;

const CREDENTIAL_COLUMN_LIST = CREDENTIAL_FIELDS.split(', ') as Array<keyof CredentialRecord>;

/**
 * A credential by token with its user (null columns when the user is gone) and the organizations
 * around the user (its own, and those whose parent is one of them: a provider's clients), in one
 * statement: the request's credential check and its viewer are one round trip, of one snapshot.
 * The organizations are matched against the user's own list (`h.organizations`), by the primary
 * key and the parent index, never by reading the whole list or the memberships again. `OFFSET 0`
 * keeps the user's row computed once: without it the planner inlines `h.organizations` (an ARRAY
 * sub-select) into the organizations' filter and runs it again for every organization.
 * The credential's columns are prefixed, since both sides have an `id` and a `created_at`.
 * Always one row, with the security version of the same snapshot (principal-cache.ts): the
 * credential's columns are null for an unknown token.
 */
export const PRINCIPAL_SELECT = `
  SELECT s.version AS security_version,
         ${CREDENTIAL_COLUMN_LIST.map((column) => `c.${column} AS credential_${column}`).join(', ')}, h.*,
         coalesce(a.organizations, '[]') AS around_organizations
    FROM security_version s
    LEFT JOIN credentials c ON c.token = $1
    LEFT JOIN LATERAL (${USER_SELECT} WHERE u.id = c.user_id OFFSET 0) h ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'kind', o.kind, 'parent', o.parent, 'created_at', o.created_at)
                      ORDER BY o.created_at, o.id) AS organizations
        FROM organizations o WHERE o.id = ANY (h.organizations) OR o.parent = ANY (h.organizations)) a ON true`;

type OrganizationRecord = Parameters<typeof organizationFrom>[0];

export type PrincipalRecord = { [K in keyof CredentialRecord as `credential_${K}`]: CredentialRecord[K] | null } & (
  | UserRecord
  | { [K in keyof UserRecord]: null }
) & { around_organizations: OrganizationRecord[]; security_version: string };

/** The security model's version now (migration 005; principal-cache.ts says what it is for). */
export const SECURITY_VERSION_SELECT = 'SELECT version FROM security_version';

/** The holder a principal row describes; undefined for an unknown token. */
export function principalFrom(record: PrincipalRecord): CredentialHolder | undefined {
  if (record.credential_id === null) return undefined;
  const credential = {} as Record<string, unknown>;
  for (const column of CREDENTIAL_COLUMN_LIST) credential[column] = record[`credential_${column}`];
  return {
    credential: credentialFrom(credential as unknown as CredentialRecord),
    user: record.id === null ? undefined : userFrom(record as UserRecord),
    // In JSON a timestamptz keeps the session's offset: read back as the ISO text the type parser makes.
    organizations: record.around_organizations.map((org) => organizationFrom({ ...org, created_at: new Date(org.created_at).toISOString() })),
  };
}

export const ORGANIZATION_SELECT = 'SELECT id, name, kind, parent, created_at FROM organizations';

export function organizationFrom(record: { id: string; name: string; kind: Organization['kind']; parent: string | null; created_at: string }): Organization {
  return { id: record.id, name: record.name, kind: record.kind, parent: record.parent, createdAt: record.created_at };
}

export const TEAM_SELECT = 'SELECT id, name, created_at FROM teams';

export function teamFrom(record: { id: string; name: string; created_at: string }): Team {
  return { id: record.id, name: record.name, createdAt: record.created_at };
}

/**
 * `UPDATE table SET …` for the fields of `patch` that `columns` maps, as SQL and values; `$1` is
 * left for the id. Null when the patch names none of them.
 */
export function updateOf<T extends object>(
  table: string,
  columns: Partial<Record<keyof T, string>>,
  patch: Partial<T>,
): { sql: string; values: unknown[] } | null {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [field, column] of Object.entries(columns) as Array<[keyof T, string]>) {
    if (!(field in patch) || patch[field] === undefined) continue;
    values.push(patch[field]);
    sets.push(`${column} = $${values.length + 1}`);
  }
  if (sets.length === 0) return null;
  return { sql: `UPDATE ${table} SET ${sets.join(', ')} WHERE id = $1`, values };
}

/** A user's grants as rows of `grants`: `none` is no row. */
export function grantRows(grants: User['grants']): { tables: string[]; formats: string[] } {
  const held = Object.entries(grants).filter(([, format]) => format !== 'none');
  return { tables: held.map(([table]) => table), formats: held.map(([, format]) => format) };
}
