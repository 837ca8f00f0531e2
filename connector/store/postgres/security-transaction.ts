import { notFound } from '../../errors';
import type { AuditEntry, Credential, Organization, SecurityTransaction, Team, User } from '../types';
import type { CredentialUsage } from './credential-usage';
import { withConflicts } from './errors';
import { prepared, type Queryable } from './queryable';
import { PostgresSecurityReads } from './security-reads';
import {
  CREDENTIAL_COLUMNS,
  CREDENTIAL_FIELDS,
  credentialFrom,
  grantRows,
  updatedUserSelect,
  updateOf,
  USER_COLUMNS,
  userFrom,
  type CredentialRecord,
  type UserRecord,
} from './security-sql';

type UserPatch = Partial<Omit<User, 'id'>>;

/** The parameters of a credential's row, in CREDENTIAL_FIELDS' order, typed for INSERT … SELECT too. */
const CREDENTIAL_VALUES = '$1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz, $9::timestamptz, $10::timestamptz, $11';

function credentialValues(credential: Credential): unknown[] {
  return [
    credential.id, credential.userId, credential.token, credential.name, credential.keyDigest, credential.keyCiphertext,
    credential.createdAt, credential.expiresAt, credential.revokedAt, credential.lastUsedAt, credential.lastUsedIp,
  ];
}

/**
 * One transaction's reads and writes, all on its own client, so its reads see its writes. A write
 * the database refuses (a taken username: `409 conflict`) ends the transaction: PostgreSQL accepts
 * no further statement in it, so let the error propagate and the whole change is rolled back.
 */
export class PostgresSecurityTransaction extends PostgresSecurityReads implements SecurityTransaction {
  /** The change's audit entries, inserted in the COMMIT's message. */
  readonly auditEntries: AuditEntry[] = [];
  private ended = false;

  constructor(client: Queryable, usage: CredentialUsage) {
    // Once the transaction has ended, its client is back in the pool, maybe in another's transaction.
    const guarded: Queryable = {
      query: (text, values) => (this.ended ? Promise.reject(new Error('This transaction has ended.')) : client.query(text, values)),
    };
    super(guarded, usage, true);
  }

  /** Refuses any further use (a call left running after `change` returned). */
  end(): void {
    this.ended = true;
  }

  insertUser(user: User): Promise<void> {
    const grants = grantRows(user.grants);
    return withConflicts(async () => {
      // One statement: the user and every list of it, so a creation costs one round trip.
      await this.db.query(
        `WITH u AS (
           INSERT INTO users (id, username, email, name, surname, description, kind, roles, active, allowed_ips, api_authorized, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id
         ), s AS (
           INSERT INTO user_settings (user_id, warehouse, price_customer) SELECT id, $14, $15 FROM u
         ), o AS (
           INSERT INTO user_organizations (user_id, organization_id, position)
           SELECT u.id, m.member, m.position FROM u, unnest($16::text[]) WITH ORDINALITY AS m(member, position)
         ), t AS (
           INSERT INTO user_teams (user_id, team_id, position)
           SELECT u.id, m.member, m.position FROM u, unnest($17::text[]) WITH ORDINALITY AS m(member, position)
         )
         INSERT INTO grants (user_id, table_id, format)
         SELECT u.id, g.table_id, g.format FROM u, unnest($18::text[], $19::text[]) AS g(table_id, format)`,
        [
          user.id, user.username, user.email, user.name, user.surname, user.description, user.kind, user.roles, user.active,
          user.allowedIps, user.apiAuthorized, user.createdAt, user.updatedAt,
          user.settings.warehouse, user.settings.priceCustomer, user.organizations, user.teams,
          grants.tables, grants.formats,
        ],
      );
    });
  }

  patchUser(id: string, patch: UserPatch): Promise<User> {
    return withConflicts(async () => {
      const update = updateOf<User>('users', USER_COLUMNS, patch);
      if (update && !patch.settings && !patch.organizations && !patch.teams && !patch.grants) {
        // The common patch (a flag, a name, a timestamp): written and read back in one round trip.
        const { rows } = await this.db.query<UserRecord>(prepared(updatedUserSelect(update.sql)), [id, ...update.values]);
        if (rows.length === 0) throw notFound('No such user.');
        return userFrom(rows[0]);
      }
      const found = update
        ? await this.db.query(update.sql, [id, ...update.values])
        : await this.db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
      if (found.rowCount === 0) throw notFound('No such user.');
      await this.writeUserLists(id, patch);
      return (await this.getUser(id))!;
    });
  }

  async removeUser(id: string): Promise<void> {
    // Settings, memberships and grants go with it (ON DELETE CASCADE); credentials stay, revoked by the caller.
    const { rowCount } = await this.db.query('DELETE FROM users WHERE id = $1', [id]);
    if (rowCount === 0) throw notFound('No such user.');
  }

  insertOrganization(org: Organization): Promise<void> {
    return withConflicts(async () => {
      await this.db.query('INSERT INTO organizations (id, name, kind, parent, created_at) VALUES ($1, $2, $3, $4, $5)', [
        org.id, org.name, org.kind, org.parent, org.createdAt,
      ]);
    });
  }

  insertTeam(team: Team): Promise<void> {
    return withConflicts(async () => {
      await this.db.query('INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)', [team.id, team.name, team.createdAt]);
    });
  }

  insertCredential(credential: Credential): Promise<void> {
    return withConflicts(async () => {
      await this.db.query(`INSERT INTO credentials (${CREDENTIAL_FIELDS}) VALUES (${CREDENTIAL_VALUES})`, credentialValues(credential));
    });
  }

  insertCredentialBelowCap(credential: Credential, cap: number): Promise<number> {
    return withConflicts(async () => {
      // The count sees the user's credentials as this transaction does: the user's row is locked
      // (getUser FOR UPDATE), so no other transaction adds one between the count and the insert.
      const { rows } = await this.db.query<{ live: number }>(
        prepared(`WITH live AS (SELECT count(*)::integer AS n FROM credentials WHERE user_id = $2 AND revoked_at IS NULL),
           inserted AS (INSERT INTO credentials (${CREDENTIAL_FIELDS}) SELECT ${CREDENTIAL_VALUES} FROM live WHERE n < $12)
         SELECT n AS live FROM live`),
        [...credentialValues(credential), cap],
      );
      return rows[0].live;
    });
  }

  patchCredential(id: string, patch: Partial<Omit<Credential, 'id' | 'userId'>>): Promise<Credential> {
    return withConflicts(async () => {
      const update = updateOf<Credential>('credentials', CREDENTIAL_COLUMNS, patch);
      if (!update) {
        const credential = await this.getCredential(id);
        if (!credential) throw notFound('No such credential.');
        return credential;
      }
      const { rows } = await this.db.query<CredentialRecord>(`${update.sql} RETURNING ${CREDENTIAL_FIELDS}`, [id, ...update.values]);
      if (rows.length === 0) throw notFound('No such credential.');
      return this.usage.overlay(credentialFrom(rows[0]));
    });
  }

  audit(entry: AuditEntry): void {
    if (this.ended) throw new Error('This transaction has ended; its audit entry would be lost.');
    this.auditEntries.push(entry);
  }

  /** Rewrites the lists of the user that `patch` names (settings, memberships, grants). */
  private async writeUserLists(id: string, patch: UserPatch): Promise<void> {
    if (patch.settings) {
      await this.db.query(
        `INSERT INTO user_settings (user_id, warehouse, price_customer) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET warehouse = excluded.warehouse, price_customer = excluded.price_customer`,
        [id, patch.settings.warehouse, patch.settings.priceCustomer],
      );
    }
    if (patch.organizations) {
      await this.db.query('DELETE FROM user_organizations WHERE user_id = $1', [id]);
      await this.db.query(
        'INSERT INTO user_organizations (user_id, organization_id, position) SELECT $1, member, position FROM unnest($2::text[]) WITH ORDINALITY AS m(member, position)',
        [id, patch.organizations],
      );
    }
    if (patch.teams) {
      await this.db.query('DELETE FROM user_teams WHERE user_id = $1', [id]);
      await this.db.query(
        'INSERT INTO user_teams (user_id, team_id, position) SELECT $1, member, position FROM unnest($2::text[]) WITH ORDINALITY AS m(member, position)',
        [id, patch.teams],
      );
    }
    if (patch.grants) {
      const { tables, formats } = grantRows(patch.grants);
      await this.db.query('DELETE FROM grants WHERE user_id = $1', [id]);
      await this.db.query('INSERT INTO grants (user_id, table_id, format) SELECT $1, table_id, format FROM unnest($2::text[], $3::text[]) AS g(table_id, format)', [
        id, tables, formats,
      ]);
    }
  }
}
