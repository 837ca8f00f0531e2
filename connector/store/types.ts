import type { Format, Role, UserKind } from '../contract';

// The entities of the security model as they are stored. Nothing here knows HTTP or lowdb.

export interface UserSettings {
  /** Stock warehouse whose rows the user sees; blank = none. */
  warehouse: string;
  /** Customer code whose prices the user sees; blank = no price fields. */
  priceCustomer: string;
}

export interface User {
  id: string;
  username: string;
  email: string;
  name: string;
  surname: string;
  description: string;
  kind: UserKind;
  roles: Role[];
  organizations: string[];
  teams: string[];
  active: boolean;
  allowedIps: string[];
  settings: UserSettings;
  /** Highest format per table id; a table not named here is `none`. */
  grants: Record<string, Format>;
  apiAuthorized: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Organization {
  id: string;
  name: string;
  kind: 'provider' | 'client';
  /** A client's provider organization. */
  parent: string | null;
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  createdAt: string;
}

export interface Credential {
  id: string;
  userId: string;
  token: string;
  name: string;
  /** HMAC-SHA-256 of the key under the server secret, hex. */
  keyDigest: string;
  /** AES-256-GCM ciphertext of the key, so an admin can copy it again. */
  keyCiphertext: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

export interface AuditEntry {
  at: string;
  /** Who acted: a username, `admin-key`, `cli`, or `anonymous`. */
  actor: string;
  actorId: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  /** `ok`, or the error code of a refused request. */
  outcome: string;
}

export type StoredRow = Record<string, unknown>;

export interface SecurityState {
  users: User[];
  organizations: Organization[];
  teams: Team[];
  credentials: Credential[];
}

/**
 * Everything the connector persists. The lowdb adapter is the embedded default; a PostgreSQL
 * adapter can implement the same interface without touching routes or the security model.
 *
 * Reads return the stored objects themselves: callers treat them as read-only and change
 * anything only through the write methods, which one serialized writer applies in order.
 */
export interface Store {
  readonly security: SecurityRepository;
  readonly rows: RowRepository;
  readonly audit: AuditLog;
  /** Finishes pending writes and releases the data directory. */
  close(): Promise<void>;
}

export interface SecurityRepository {
  listUsers(): readonly User[];
  getUser(id: string): User | undefined;
  findUserByUsername(username: string): User | undefined;
  findUserByEmail(email: string): User | undefined;
  listOrganizations(): readonly Organization[];
  getOrganization(id: string): Organization | undefined;
  listTeams(): readonly Team[];
  getTeam(id: string): Team | undefined;
  /** O(1): an index, not a scan. */
  findCredentialByToken(token: string): Credential | undefined;
  getCredential(id: string): Credential | undefined;
  listCredentials(userId: string): readonly Credential[];
  countUsers(): number;

  /**
   * Applies `change` to the stored state and persists it before resolving. Changes run one at a
   * time in call order, so a check-then-write inside `change` cannot interleave with another
   * write. `change` must be synchronous and may throw to abort (nothing is written then).
   */
  update<T>(change: (draft: SecurityDraft) => T): Promise<T>;

  /** Notes a successful use. Persisted lazily (coalesced), because it is usage, not security state. */
  recordCredentialUse(credentialId: string, at: string, ip: string): void;
}

/** The mutations available inside `SecurityRepository.update`. */
export interface SecurityDraft {
  readonly state: Readonly<SecurityState>;
  insertUser(user: User): void;
  patchUser(id: string, patch: Partial<Omit<User, 'id'>>): User;
  removeUser(id: string): void;
  insertOrganization(org: Organization): void;
  insertTeam(team: Team): void;
  insertCredential(credential: Credential): void;
  patchCredential(id: string, patch: Partial<Omit<Credential, 'id' | 'userId'>>): Credential;
}

export interface RowRepository {
  /** Every stored row of a table, sorted by its key (stable paging order). */
  list(tableId: string): readonly StoredRow[];
  get(tableId: string, key: string): StoredRow | undefined;
  /** Inserts or replaces rows by key, all or nothing, in one write. */
  upsert(tableId: string, keyField: string, rows: StoredRow[]): Promise<number>;
  /** Deletes one row; false when there was none. */
  remove(tableId: string, key: string): Promise<boolean>;
  /** Replaces a table's rows wholesale (demo seeding). */
  replaceAll(tableId: string, keyField: string, rows: StoredRow[]): Promise<void>;
  tableIds(): readonly string[];
}

export interface AuditLog {
  /** Queues the entry; a failed write is reported to the log, never to the caller. */
  append(entry: AuditEntry): void;
  /**
   * Resolves once the entry is on disk (fsynced), rejects if it could not be written: for an
   * action that must not happen unaudited (copying a key).
   */
  appendDurably(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<AuditEntry[]>;
  /** Waits until every appended entry is on disk. */
  flush(): Promise<void>;
}
