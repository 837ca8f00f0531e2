import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { customerRows, securityState, writeDataDir, type BenchUser, type Pair } from './fixtures';

// The data directories the rows run against, written once per run under the bench's temp root.

export const CUSTOMER_COUNT = 100_000;

function pairOf(user: BenchUser): Pair {
  if (!user.pair) throw new Error(`user ${user.user.username} has no real pair`);
  return user.pair;
}

export interface MainStore {
  dir: string;
  /** A member of Contoso (a client org): sees about a quarter of the customers. */
  scoped: Pair;
  /** A member of Northwind (the provider): sees every generated customer, through its clients. */
  provider: Pair;
}

/** 10 users and 100,000 customers (13 columns at standard), for rows 1, 3 and 5. */
export function mainStore(root: string): MainStore {
  const { state, users } = securityState(10);
  users[2].user.organizations = ['org-northwind'];
  const dir = writeDataDir(join(root, 'main'), state, { customers: { keyField: 'Code', rows: customerRows(CUSTOMER_COUNT) } });
  const store = { dir, scoped: pairOf(users[1]), provider: pairOf(users[2]) };
  // For poking at a kept run (--keep) by hand.
  writeFileSync(join(root, 'main-pairs.json'), JSON.stringify(store, null, 2));
  return store;
}

export interface AuthStore {
  dir: string;
  users: number;
  credentials: number;
  /** Ten live pairs the load cycles through, spread over the store. */
  pairs: Pair[];
}

/** Row 2: `users` users with `perUser` credentials each (the first live, the rest revoked). */
export function authStore(root: string, name: string, users: number, perUser: number): AuthStore {
  const step = Math.max(1, Math.floor((users - 1) / 10));
  const presented = Array.from({ length: 10 }, (_, i) => 1 + ((i * step) % (users - 1)));
  const { state, users: made } = securityState(users, perUser, presented);
  const dir = writeDataDir(join(root, name), state);
  return { dir, users, credentials: state.credentials.length, pairs: presented.map((i) => pairOf(made[i])) };
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
