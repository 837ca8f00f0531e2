import type { DataFormat } from '../contract';
import type { AuditEntry } from '../domain/audit';
import type { Credential } from '../domain/credential';
import type { Organization, Team } from '../domain/organization';
import type { User } from '../domain/user';

// What the store keeps and how it is reached. Nothing here knows HTTP or lowdb. The entities'
// types come from their one schema each (connector/domain/), inferred.
export type { AuditEntry, Credential, Organization, Team, User };
export type { UserSettings } from '../domain/user';

export type StoredRow = Record<string, unknown>;

export interface SecurityState {
  users: User[];
  organizations: Organization[];
  teams: Team[];
  credentials: Credential[];
}

/**
 * Everything the connector persists, behind one async interface for both adapters: the embedded
 * lowdb store (a data directory, the default) and PostgreSQL (several connectors on one database).
 * Routes, the CLI and the services never know which one runs.
 *
 * Reads return plain objects that callers treat as read-only; every change runs inside
 * `security.transaction`, whose reads see its own writes and whose changes (and audit entries)
 * are kept whole or not at all.
 */
export interface Store {
  readonly security: SecurityRepository;
  readonly rows: RowRepository;
  readonly audit: AuditLog;
  /** True when the store answers (the `/readyz` check). */
  ready(): Promise<boolean>;
  /** Finishes pending writes and releases the store (the data directory's lock, the pool). */
  close(): Promise<void>;
}

/** A credential and the user holding it (none when the user was deleted). */
export interface CredentialHolder {
  credential: Credential;
  user: User | undefined;
  /**
   * The user's organizations and those whose parent is one of them (a provider's clients), in
   * creation order: all a viewer's organization scope needs (`withClientOrganizations`), read with
   * the user, so both are of the same moment. Empty when the user is gone.
   */
  organizations: readonly Organization[];
}

export interface SecurityReads {
  listUsers(): Promise<readonly User[]>;
  /**
   * The admin list's keyset: users whose lowercased username sorts after `after` (UTF-16 code-unit
   * order, as JavaScript compares strings; usernames are ASCII), in that order, at most `limit`.
   */
  listUsersByUsername(after: string | undefined, limit: number): Promise<readonly User[]>;
  getUser(id: string): Promise<User | undefined>;
  /** Case-insensitive, as uniqueness is. */
  findUserByUsername(username: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  countUsers(): Promise<number>;
  listOrganizations(): Promise<readonly Organization[]>;
  getOrganization(id: string): Promise<Organization | undefined>;
  listTeams(): Promise<readonly Team[]>;
  getTeam(id: string): Promise<Team | undefined>;
  /** An index, not a scan: every request asks it. */
  findCredentialByToken(token: string): Promise<Credential | undefined>;
  /**
   * The credential a token names, its user and the organizations around the user, in one read (one
   * statement on PostgreSQL): every request asks it, so it is read, never cached; the same state
   * another instance just wrote.
   */
  findPrincipal(token: string): Promise<CredentialHolder | undefined>;
  getCredential(id: string): Promise<Credential | undefined>;
  listCredentials(userId: string): Promise<readonly Credential[]>;
}

/** Reads and writes inside one transaction. */
export interface SecurityTransaction extends SecurityReads {
  /** Refused with `409 conflict` when the username or e-mail is taken (case-insensitive). */
  insertUser(user: User): Promise<void>;
  patchUser(id: string, patch: Partial<Omit<User, 'id'>>): Promise<User>;
  removeUser(id: string): Promise<void>;
  /** Refused with `409 conflict` when the name is taken (case-insensitive). */
  insertOrganization(org: Organization): Promise<void>;
  insertTeam(team: Team): Promise<void>;
  insertCredential(credential: Credential): Promise<void>;
  /**
   * Inserts `credential` unless its user already holds `cap` live (unrevoked) credentials; resolves
   * to how many it held before, so it was inserted exactly when that is below `cap`. The check and
   * the insert are one step (one statement on PostgreSQL).
   */
  insertCredentialBelowCap(credential: Credential, cap: number): Promise<number>;
  patchCredential(id: string, patch: Partial<Omit<Credential, 'id' | 'userId'>>): Promise<Credential>;
  /** The audit entry of this change: written with it, never without it. */
  audit(entry: AuditEntry): void;
}

export interface SecurityRepository extends SecurityReads {
  /**
   * Runs `change` as one transaction and resolves once it is durable. A check-then-write inside it
   * cannot interleave with another transaction, in this process or (PostgreSQL) any other. If
   * `change` throws, nothing of it is kept.
   */
  transaction<T>(change: (tx: SecurityTransaction) => Promise<T>): Promise<T>;
  /** Notes a successful use. Persisted lazily (coalesced), because it is usage, not security state. */
  recordCredentialUse(credentialId: string, at: string, ip: string): void;
}

export type RowKey = string | number;

/** Which rows a page may hold: those whose `field` is one of `values` (none when it is empty). */
export interface RowScopeFilter {
  field: string;
  values: ReadonlySet<string>;
}

export interface RowPageQuery {
  keyField: string;
  /** Only rows whose key sorts after this one (keyset paging). */
  after?: RowKey;
  limit: number;
  /** Null: every row. */
  scope: RowScopeFilter | null;
  /**
   * Rows must also pass this (the caller's `filter[...]`), evaluated by the connector on the rows
   * in scope; null or absent: no further condition.
   */
  where?: ((row: StoredRow) => boolean) | null;
}

export interface RowPage {
  rows: StoredRow[];
  /** True when a row in scope follows the last one. */
  more: boolean;
}

/**
 * One format of a table whose rows a store may keep serialized (the table layer's projection,
 * handed to the store at open): the text depends on the stored row alone, and `fingerprint` names
 * everything it depends on, so a text made by another serializer is never served as this one's.
 */
export interface RowTextFormat {
  readonly format: DataFormat;
  readonly fingerprint: string;
  serialize(row: StoredRow): string;
}

/** A page as its rows' texts (RowTextFormat.serialize), in key order. */
export interface RowTextPage {
  /**
   * The texts joined by commas, as UTF-8 bytes in pieces: concatenated, the inside of the page's
   * JSON array (a store reading the texts as bytes hands them on without joining them itself).
   */
  rows: readonly Uint8Array[];
  count: number;
  /** When more follow: the last row's key, where the next page starts. */
  lastKey: RowKey | undefined;
  more: boolean;
}

export interface RowRepository {
  /** Up to `limit` rows in scope, in key order (`compareKeys`), after `after`. */
  page(tableId: string, query: RowPageQuery): Promise<RowPage>;
  /**
   * The page `page` returns, as texts in `format`: the kept ones read, any other row serialized;
   * undefined when this table's rows are not kept serialized at `format` (read `page`). Only a
   * store that keeps texts has it (PostgreSQL; the embedded store's rows are objects in memory).
   */
  textPage?(tableId: string, format: DataFormat, query: RowPageQuery): Promise<RowTextPage | undefined>;
  get(tableId: string, key: string): Promise<StoredRow | undefined>;
  /**
   * Inserts or replaces rows by key, all or nothing, in one write, with the audit entry of the
   * import (in the same transaction on PostgreSQL; right after the rows are on disk, embedded).
   */
  upsert(tableId: string, keyField: string, rows: StoredRow[], audit?: AuditEntry): Promise<number>;
  /** Deletes one row (and audits it, as `upsert` does); false when there was none. */
  remove(tableId: string, key: string, audit?: AuditEntry): Promise<boolean>;
  /** Replaces a table's rows wholesale (demo seeding). */
  replaceAll(tableId: string, keyField: string, rows: StoredRow[]): Promise<void>;
  count(tableId: string): Promise<number>;
}

/** Exact matches; `action` ending in `.` matches every action with that prefix. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  outcome?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Where the next page starts, or null when this one was the last. */
  next: unknown;
}

export interface AuditLog {
  /**
   * An entry that belongs to no change (a refused request, a use of the admin key): queued; a
   * failed write is reported to the log, never to the caller.
   */
  append(entry: AuditEntry): void;
  /**
   * Resolves once the entry is on disk (fsynced), rejects if it could not be written: for an
   * action that must not happen unaudited (copying a key).
   */
  appendDurably(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<AuditEntry[]>;
  /**
   * Newest first, only entries matching `filter`, after `after`: a position a previous page's `next`
   * gave (null: from the newest). Positions are the store's own; a foreign one is `invalid_request`.
   */
  page(filter: AuditFilter, limit: number, after: unknown): Promise<AuditPage>;
  /** Waits until every appended entry is on disk. */
  flush(): Promise<void>;
}
