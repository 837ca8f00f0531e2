import type { Credential, CredentialHolder, Organization, SecurityReads, Team, User } from '../types';
import type { CredentialUsage } from './credential-usage';
import { prepared, type Queryable } from './queryable';
import {
  CREDENTIAL_SELECT,
  credentialFrom,
  ORGANIZATION_SELECT,
  organizationFrom,
  PRINCIPAL_SELECT,
  principalFrom,
  TEAM_SELECT,
  teamFrom,
  USER_SELECT,
  userFrom,
  type CredentialRecord,
  type PrincipalRecord,
  type UserRecord,
} from './security-sql';

/**
 * The security model's reads, through the pool or one transaction's client. Every read here goes
 * to the database (the repository alone keeps principals, validated per read: principal-cache.ts).
 * Lists come in creation order, as the embedded store keeps them.
 */
export class PostgresSecurityReads implements SecurityReads {
  constructor(
    protected readonly db: Queryable,
    protected readonly usage: CredentialUsage,
    /** Inside a transaction: `getUser` locks the user's row until COMMIT (check-then-write). */
    private readonly lockUsers = false,
  ) {}

  async listUsers(): Promise<readonly User[]> {
    return this.users(`${USER_SELECT} ORDER BY u.created_at, u.id`);
  }
  async listUsersByUsername(after: string | undefined, limit: number): Promise<readonly User[]> {
    // COLLATE "C" orders by bytes, which for ASCII usernames is JavaScript's order; the index
    // users_username_order (migration 002) serves it, so a page reads `limit` users, not all.
    const order = 'lower(u.username) COLLATE "C"';
    return after === undefined
      ? this.users(`${USER_SELECT} ORDER BY ${order} LIMIT $1`, [limit])
      : this.users(`${USER_SELECT} WHERE ${order} > $1 ORDER BY ${order} LIMIT $2`, [after, limit]);
  }
  async getUser(id: string): Promise<User | undefined> {
    return (await this.users(`${USER_SELECT} WHERE u.id = $1${this.lockUsers ? ' FOR UPDATE OF u' : ''}`, [id]))[0];
  }
  async findUserByUsername(username: string): Promise<User | undefined> {
    return (await this.users(`${USER_SELECT} WHERE lower(u.username) = lower($1)`, [username]))[0];
  }
  async findUserByEmail(email: string): Promise<User | undefined> {
    return (await this.users(`${USER_SELECT} WHERE lower(u.email) = lower($1)`, [email]))[0];
  }
  async countUsers(): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>('SELECT count(*)::integer AS count FROM users');
    return rows[0].count;
  }
  async listOrganizations(): Promise<readonly Organization[]> {
    const { rows } = await this.db.query<Parameters<typeof organizationFrom>[0]>(prepared(`${ORGANIZATION_SELECT} ORDER BY created_at, id`));
    return rows.map(organizationFrom);
  }
  async getOrganization(id: string): Promise<Organization | undefined> {
    const { rows } = await this.db.query<Parameters<typeof organizationFrom>[0]>(`${ORGANIZATION_SELECT} WHERE id = $1`, [id]);
    return rows.map(organizationFrom)[0];
  }
  async listTeams(): Promise<readonly Team[]> {
    const { rows } = await this.db.query<Parameters<typeof teamFrom>[0]>(`${TEAM_SELECT} ORDER BY created_at, id`);
    return rows.map(teamFrom);
  }
  async getTeam(id: string): Promise<Team | undefined> {
    const { rows } = await this.db.query<Parameters<typeof teamFrom>[0]>(`${TEAM_SELECT} WHERE id = $1`, [id]);
    return rows.map(teamFrom)[0];
  }
  async findCredentialByToken(token: string): Promise<Credential | undefined> {
    return (await this.credentials(`${CREDENTIAL_SELECT} WHERE token = $1`, [token]))[0];
  }
  async findPrincipal(token: string): Promise<CredentialHolder | undefined> {
    const { holder } = await this.readPrincipal(token);
    return holder && this.withUsage(holder);
  }
  async getCredential(id: string): Promise<Credential | undefined> {
    return (await this.credentials(`${CREDENTIAL_SELECT} WHERE id = $1`, [id]))[0];
  }
  async listCredentials(userId: string): Promise<readonly Credential[]> {
    return this.credentials(`${CREDENTIAL_SELECT} WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  /** The principal of `token` as stored (undefined: no such token), with the security version of the same snapshot. */
  protected async readPrincipal(token: string): Promise<{ holder: CredentialHolder | undefined; version: number }> {
    const { rows } = await this.db.query<PrincipalRecord>(prepared(PRINCIPAL_SELECT), [token]);
    return { holder: principalFrom(rows[0]), version: Number(rows[0].security_version) };
  }

  /** `holder` with this process's noted use of its credential (a new object: `holder` may be kept). */
  protected withUsage(holder: CredentialHolder): CredentialHolder {
    return { ...holder, credential: this.usage.overlay(holder.credential) };
  }

  private async users(sql: string, values?: unknown[]): Promise<User[]> {
    const { rows } = await this.db.query<UserRecord>(sql, values);
    return rows.map(userFrom);
  }
  private async credentials(sql: string, values: unknown[]): Promise<Credential[]> {
    const { rows } = await this.db.query<CredentialRecord>(sql, values);
    return rows.map((row) => this.usage.overlay(credentialFrom(row)));
  }
}
