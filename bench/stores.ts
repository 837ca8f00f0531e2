import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecurityState, StoredRow } from '../connector/store/types';
import { customerRows, securityState, writeDataDir, type BenchUser, type Pair } from './fixtures';
import { loadDatabase, type BenchPostgres, type LoadedTable } from './postgres';

// The data directories the rows run against, written once per run under the bench's temp root,
// and the same fixtures loaded into PostgreSQL databases for the PostgreSQL lines.

/** What a store was written from, to load the same into PostgreSQL. */
export interface Fixture {
  security: SecurityState;
  tables: Record<string, LoadedTable>;
}

/** Where a connector's store is: a data directory, or (PostgreSQL) a database URL. */
export interface Located {
  /** A data directory, or a postgres:// URL. */
  dir: string;
  fixture: Fixture;
}

/** A store loaded into PostgreSQL: `dir` is its database URL. */
export type OnPostgres<T extends Located> = T & {
  /** How long the load took. */
  loadMs: number;
  /** CPU ms the cluster has used so far, read beside the connector's. */
  databaseCpuMs(): number;
};

/** PostgreSQL rows get this when the cluster is missing or did not start: each says so in its line. */
export type Unavailable = { unavailable: string };

/** The same store loaded into a new PostgreSQL database. */
export async function onPostgres<T extends Located>(postgres: BenchPostgres, label: string, store: T, progress: (message: string) => void): Promise<OnPostgres<T>> {
  const url = await postgres.database(label);
  const loadMs = await loadDatabase(url, store.fixture.security, store.fixture.tables, progress);
  return { ...store, dir: url, loadMs, databaseCpuMs: () => postgres.cpuMs() };
}

export const CUSTOMER_COUNT = 100_000;

function pairOf(user: BenchUser): Pair {
  if (!user.pair) throw new Error(`user ${user.user.username} has no real pair`);
  return user.pair;
}

export interface MainStore extends Located {
  /** A member of Contoso (a client org): sees about a quarter of the customers. */
  scoped: Pair;
  /** A member of Northwind (the provider): sees every generated customer, through its clients. */
  provider: Pair;
}

/** 10 users and 100,000 customers (13 columns at standard), for rows 1, 3 and 5. */
export function mainStore(root: string): MainStore {
  const { state, users } = securityState(10);
  users[2].user.organizations = ['org-northwind'];
  const tables = { customers: { keyField: 'Code', rows: customerRows(CUSTOMER_COUNT) } };
  const dir = writeDataDir(join(root, 'main'), state, tables);
  const store = { dir, scoped: pairOf(users[1]), provider: pairOf(users[2]) };
  // For poking at a kept run (--keep) by hand.
  writeFileSync(join(root, 'main-pairs.json'), JSON.stringify(store, null, 2));
  return { ...store, fixture: { security: state, tables } };
}

export interface AuthStore extends Located {
  users: number;
  credentials: number;
  /** Ten live pairs the load cycles through, spread over the store. */
  pairs: Pair[];
  /** User 0, a system admin (row 4 on PostgreSQL writes through it). */
  admin: Pair;
  /** Ids of members an admin can authorize and de-authorize. */
  targets: string[];
}

/** Row 2: `users` users with `perUser` credentials each (the first live, the rest revoked). */
export function authStore(root: string, name: string, users: number, perUser: number): AuthStore {
  const step = Math.max(1, Math.floor((users - 1) / 10));
  const presented = Array.from({ length: 10 }, (_, i) => 1 + ((i * step) % (users - 1)));
  const { state, users: made } = securityState(users, perUser, presented);
  const dir = writeDataDir(join(root, name), state);
  return {
    dir,
    users,
    credentials: state.credentials.length,
    pairs: presented.map((i) => pairOf(made[i])),
    fixture: { security: state, tables: {} },
    admin: pairOf(made[0]),
    targets: made.slice(1).map((u) => u.user.id),
  };
}

export interface WriteStore {
  dir: string;
  users: number;
  admin: Pair;
  /** Ids of members an admin can authorize and de-authorize. */
  targets: string[];
}

/** Rows 4 and 6: `users` users (user 0 a system admin), one credential each. */
export function writeStore(root: string, name: string, users: number): WriteStore {
  const { state, users: made } = securityState(users, 1, []);
  const dir = writeDataDir(join(root, name), state);
  writeFileSync(join(root, `admin-pair-${name}.json`), JSON.stringify(pairOf(made[0])));
  return { dir, users, admin: pairOf(made[0]), targets: made.slice(1).map((u) => u.user.id) };
}

export interface DeepStore extends Located {
  rows: number;
  scoped: Pair;
  /** Keys in table order, so a cursor can be set near the end. */
  lastKeys: string[];
}

/**
 * The table-size row: `count` customers with the 13 standard columns only, their sub-resources
 * left out (1,000,000 full rows are 0.7 GB of JSON, beyond V8's longest string, so the lowdb
 * table file could not be written or read at all). Made from 10,000 generated rows repeated
 * under new codes, which costs seconds, not a minute of generation.
 */
export function deepStore(root: string, name: string, count: number): DeepStore {
  const { state, users } = securityState(3);
  const source = customerRows(Math.min(count, 10_000));
  const rows: StoredRow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const { 'Delivery Addresses': _addresses, Alerts: _alerts, ...columns } = source[i % source.length];
    rows[i] = { ...columns, Code: `C${String(i + 1).padStart(7, '0')}` };
  }
  const dir = writeDataDir(join(root, name), state, { customers: { keyField: 'Code', rows } });
  const tables = { customers: { keyField: 'Code', rows, copiesAfter: source.length } };
  return { dir, rows: count, scoped: pairOf(users[1]), lastKeys: rows.slice(-200).map((r) => r.Code as string), fixture: { security: state, tables } };
}
