import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Format, Role } from '../connector/contract';
import { generateKey, generateToken } from '../connector/credentials/key-format';
import { KeyVault } from '../connector/credentials/vault';
import { DEMO_ORGANIZATIONS, DEMO_TEAMS } from '../connector/demo/organizations';
import { generateCustomers } from '../connector/demo/customers';
import { pad } from '../connector/demo/random';
import { SCHEMA_VERSION } from '../connector/store/lowdb/schema';
import type { Credential, SecurityState, StoredRow, User } from '../connector/store/types';

// Large data directories written straight in the lowdb layout (security.json, tables/<id>.json,
// each with its schemaVersion) instead of through 100k API calls. Keys are digested and sealed
// with the real KeyVault under BENCH_SECRET, so the connector under test accepts them.

export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
export const BENCH_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  SHEETGATE_SECRET: BENCH_SECRET,
  // The limiter still runs on every request; the window is only wide enough not to refuse the load.
  SHEETGATE_RATE_LIMIT: '1000000000/60',
};

const CREATED = '2025-01-01T00:00:00.000Z';
const vault = new KeyVault(Buffer.from(BENCH_SECRET, 'utf8'));

export interface Pair {
  token: string;
  key: string;
}

export interface BenchUser {
  user: User;
  /** The live credential's pair, when this user got a real one. */
  pair: Pair | null;
}

export function benchRoot(): string {
  return mkdtempSync(join(tmpdir(), 'sheetgate-bench-'));
}

export function makeUser(
  index: number,
  options: { roles?: Role[]; organizations?: string[]; grants?: Record<string, Format>; authorized?: boolean } = {},
): User {
  const username = `user${pad(index, 6)}`;
  return {
    id: randomUUID(),
    username,
    email: `${username}@bench.example`,
    name: `User ${index}`,
    surname: 'Bench',
    description: '',
    kind: 'portal',
    roles: options.roles ?? ['member'],
    organizations: options.organizations ?? ['org-contoso'],
    teams: [],
    active: true,
    allowedIps: [],
    settings: { warehouse: '', priceCustomer: '' },
    grants: options.grants ?? { customers: 'standard' },
    apiAuthorized: options.authorized ?? true,
    createdAt: CREATED,
    updatedAt: CREATED,
  };
}

/** A credential with a real, usable pair (well-formed token and key, digest and ciphertext under BENCH_SECRET). */
export function makeCredential(userId: string, revoked = false): { credential: Credential; pair: Pair } {
  const id = randomUUID();
  const token = generateToken();
  const key = generateKey();
  return {
    pair: { token, key },
    credential: credentialRecord(id, userId, token, vault.digest(key), vault.encrypt(key, id), revoked),
  };
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const FILLER_KEY = generateKey();
const FILLER_DIGEST = vault.digest(FILLER_KEY);
const FILLER_CIPHERTEXT = vault.encrypt(FILLER_KEY, 'filler');

/**
 * A credential nobody presents, made fast (300k real ones take half a minute of BigInt base62 and
 * AES): a unique random token of the real length, a digest and ciphertext of the real lengths.
 */
export function fillerCredential(userId: string, revoked: boolean): Credential {
  const body = Buffer.allocUnsafe(28);
  for (let i = 0; i < 28; i++) body[i] = ALPHABET.charCodeAt(randomByte() % 62);
  const token = `sgt_${body.toString('latin1')}`;
  return credentialRecord(randomUUID(), userId, token, FILLER_DIGEST, FILLER_CIPHERTEXT, revoked);
}

let pool = Buffer.alloc(0);
let poolAt = 0;

/** Random bytes from a 64 KB pool: one randomBytes call per credential costs ~10 µs. */
function randomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(65536);
    poolAt = 0;
  }
  return pool[poolAt++];
}

function credentialRecord(id: string, userId: string, token: string, keyDigest: string, keyCiphertext: string, revoked: boolean): Credential {
  return {
    id,
    userId,
    token,
    name: 'default',
    keyDigest,
    keyCiphertext,
    createdAt: CREATED,
    expiresAt: null,
    revokedAt: revoked ? CREATED : null,
    lastUsedAt: null,
    lastUsedIp: null,
  };
}

/**
 * A security model with `count` users: user 0 a system admin, the others org-scoped members, each
 * with `credentialsPerUser` credentials (the first live, the rest revoked). Users listed in
 * `withPairs` (and user 0) get a real pair on their live credential; the others get fillers.
 */
export function securityState(
  count: number,
  credentialsPerUser = 1,
  withPairs: readonly number[] = [...Array(Math.min(count, 16)).keys()],
): { state: SecurityState; users: BenchUser[] } {
  const real = new Set([0, ...withPairs]);
  const users: BenchUser[] = [];
  const credentials: Credential[] = [];
  for (let i = 0; i < count; i++) {
    const user = i === 0 ? makeUser(i, { roles: ['system-admin'], organizations: [] }) : makeUser(i);
    let pair: Pair | null = null;
    for (let c = 0; c < credentialsPerUser; c++) {
      if (c === 0 && real.has(i)) {
        const made = makeCredential(user.id);
        credentials.push(made.credential);
        pair = made.pair;
      } else {
        credentials.push(fillerCredential(user.id, c > 0));
      }
    }
    users.push({ user, pair });
  }
  return {
    state: {
      users: users.map((u) => u.user),
      organizations: DEMO_ORGANIZATIONS.map((org) => ({ ...org })),
      teams: DEMO_TEAMS.map((team) => ({ ...team })),
      credentials,
    },
    users,
  };
}

/** Organizations the generated customers belong to: Northwind and its three clients. */
const CUSTOMER_OWNERS = ['org-northwind', 'org-contoso', 'org-fabrikam', 'org-tailspin'];

/** `count` customers shaped like the demo's (13 columns at standard, sub-resources stored too), sorted by Code. */
export function customerRows(count: number): StoredRow[] {
  return generateCustomers(count, { seed: 42, owners: CUSTOMER_OWNERS, codeDigits: 6 });
}

/** Writes a data directory in the lowdb layout the connector reads (compact JSON, schemaVersion). */
export function writeDataDir(dir: string, security: SecurityState, tables: Record<string, { keyField: string; rows: StoredRow[] }> = {}): string {
  mkdirSync(join(dir, 'tables'), { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'security.json'), JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...security }), { mode: 0o600 });
  for (const [id, table] of Object.entries(tables)) {
    writeFileSync(join(dir, 'tables', `${id}.json`), JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...table }), { mode: 0o600 });
  }
  return dir;
}
