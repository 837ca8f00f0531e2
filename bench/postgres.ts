import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { silentLogger } from '../connector/logger';
import { openServices } from '../connector/services';
import { TEXT_COLUMNS, textColumn } from '../connector/store/postgres/row-texts';
import { sortKey } from '../connector/store/postgres/sort-key';
import type { TableCatalog } from '../connector/tables/catalog';
import { rowTextFormats } from '../connector/tables/row-texts';
import type { Credential, SecurityReads, SecurityState, StoredRow, User } from '../connector/store/types';
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from '../test/helpers/postgres-cluster';
import { BENCH_SECRET } from './fixtures';
import { treeCpuMs } from './processes';

// The PostgreSQL rows run on a throwaway cluster started the way the tests start theirs (initdb
// into a temp dir, a free port, removed at the end), one database per data set. The same fixtures
// as the lowdb data directories are loaded through the store interface the connector itself uses.

/** Rows per `rows.upsert` call (each a transaction of several 2,000-row INSERTs). */
const ROWS_PER_UPSERT = 20_000;

export interface BenchPostgres {
  /** A new, empty database on the cluster. */
  database(label: string): Promise<string>;
  /** CPU ms the cluster (postmaster and backends) has used so far. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts the cluster; a reason instead when PostgreSQL is not installed or does not start. */
export async function startBenchPostgres(): Promise<BenchPostgres | { unavailable: string }> {
  if (!findPostgresBinaries()) return { unavailable: 'PostgreSQL is not installed (no initdb/pg_ctl found)' };
  let cluster: PostgresCluster;
  try {
    cluster = await startPostgresCluster();
  } catch (error) {
    return { unavailable: `PostgreSQL did not start: ${(error as Error).message.split('\n')[0]}` };
  }
  // The first line of postmaster.pid is the server's pid.
  const postmaster = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    async database(label) {
      const name = `bench_${label.replace(/\W/g, '_')}_${randomBytes(3).toString('hex')}`;
      const client = new pg.Client(cluster.url);
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    cpuMs: () => treeCpuMs(postmaster),
    stop: () => cluster.stop(),
  };
}

/** Users per INSERT statement of the bulk load (each list of theirs in one statement too). */
const USERS_PER_STATEMENT = 10_000;

/**
 * Loads a security model and tables into the database at `url`. The store is opened through the
 * services the connector opens (`openServices` with a database URL: the migration, the store);
 * table rows go in through `rows.upsert` (chunks of 20,000), as an import writes them. Users and
 * credentials go in as multi-row INSERTs into the schema's tables: through `security.transaction`
 * (one round trip per user and per credential) 10,000 users with 30,000 credentials took 16.5 s
 * here, so 100,000 with 300,000 would take minutes. What was written is read back through the
 * store (counts, and each user's credentials), so a loader that drifted from the schema fails the
 * run instead of measuring something else. Returns the milliseconds the load took.
 */
export async function loadDatabase(
  url: string,
  security: SecurityState,
  tables: Record<string, LoadedTable> = {},
  progress: (message: string) => void = () => {},
): Promise<number> {
  const started = performance.now();
  const services = await openServices({ dataDir: '', databaseUrl: url, secret: BENCH_SECRET, log: silentLogger });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const { store } = services;
    await store.security.transaction(async (tx) => {
      for (const org of security.organizations) await tx.insertOrganization(org);
      for (const team of security.teams) await tx.insertTeam(team);
    });
    await insertSecurity(pool, security, progress);
    await checkSecurity(store.security, security);
    for (const [tableId, table] of Object.entries(tables)) {
      const upserted = table.copiesAfter ?? table.rows.length;
      for (let start = 0; start < upserted; start += ROWS_PER_UPSERT) {
        await store.rows.upsert(tableId, table.keyField, table.rows.slice(start, Math.min(upserted, start + ROWS_PER_UPSERT)));
        if ((start / ROWS_PER_UPSERT) % 5 === 4) progress(`  ${tableId}: ${start + ROWS_PER_UPSERT} of ${table.rows.length} rows`);
      }
      if (upserted < table.rows.length) await insertCopies(pool, tableId, table, upserted, progress);
      for (let i = 0; i < table.rows.length; i += Math.max(1, Math.floor(table.rows.length / 20))) {
        const expected = table.rows[i];
        if (!isDeepStrictEqual(await store.rows.get(tableId, String(expected[table.keyField])), expected)) throw new Error(`${tableId} row ${i} reads back differently`);
      }
      await checkTexts(pool, tableId, table.rows, table.keyField, services.tables);
      const count = await store.rows.count(tableId);
      if (count !== table.rows.length) throw new Error(`loaded ${count} ${tableId} rows, not ${table.rows.length}`);
    }
    // Fresh statistics, as autovacuum would gather them on a live database, so plans are the real ones.
    await pool.query('VACUUM ANALYZE');
  } finally {
    await pool.end();
    await services.close();
  }
  return performance.now() - started;
}

export interface LoadedTable {
  keyField: string;
  rows: StoredRow[];
  /**
   * Rows from this index on are copies of `rows[i % copiesAfter]` under another key: only the first
   * `copiesAfter` go through `rows.upsert`, the copies are made by the database from them (a
   * million rows through upsert take minutes here). The key's sort order comes from the store's
   * own `sortKey`, and sampled rows are read back through the store.
   */
  copiesAfter?: number;
}

/** Rows of the copy-made tail per INSERT … SELECT. */
const COPIES_PER_STATEMENT = 100_000;

async function insertCopies(pool: pg.Pool, tableId: string, table: LoadedTable, from: number, progress: (message: string) => void): Promise<void> {
  const sources = from;
  // Each kept text (json_*) of a copy is its source's with the key replaced: the key field leads
  // every format's text (`{"Code":"C0000042",…`), so the copy holds exactly the text the store's
  // own write would give it. A text that does not start so is left null (served from data), and
  // loadDatabase checks sampled texts against the serializer.
  const prefix = (json: string) => `'{' || to_json($2::text)::text || ':' || ${json}`;
  const copied = TEXT_COLUMNS.map(
    (column) => `CASE WHEN starts_with(s.${column}, ${prefix('to_json(s.key)::text')}) THEN ${prefix('n.value::text')} || substr(s.${column}, length(${prefix('to_json(s.key)::text')}) + 1) END`,
  );
  for (let start = from; start < table.rows.length; start += COPIES_PER_STATEMENT) {
    const chunk = table.rows.slice(start, start + COPIES_PER_STATEMENT);
    const keys = chunk.map((row) => row[table.keyField] as string | number);
    await pool.query(
      `INSERT INTO rows (table_id, key, sort_key, scope_value, data, ${TEXT_COLUMNS.join(', ')})
       SELECT $1, n.key, n.sort_key, s.scope_value, s.data || jsonb_build_object($2::text, n.value), ${copied.join(', ')}
         FROM unnest($3::text[], $4::bytea[], $5::jsonb[], $6::text[]) AS n(key, sort_key, value, source)
         JOIN rows s ON s.table_id = $1 AND s.key = n.source`,
      [
        tableId,
        table.keyField,
        keys.map(String),
        keys.map(sortKey),
        keys.map((key) => JSON.stringify(key)),
        chunk.map((_, i) => String(table.rows[(start + i) % sources][table.keyField])),
      ],
    );
    progress(`  ${tableId}: ${start + chunk.length} of ${table.rows.length} rows`);
  }
}

/** The sampled rows' kept texts, as the store's own serializers make them from the rows. */
async function checkTexts(pool: pg.Pool, tableId: string, rows: readonly StoredRow[], keyField: string, tables: TableCatalog): Promise<void> {
  const definition = tables.get(tableId);
  if (!definition) return;
  for (const text of rowTextFormats(definition)) {
    for (let i = 0; i < rows.length; i += Math.max(1, Math.floor(rows.length / 20))) {
      const key = String(rows[i][keyField]);
      const { rows: found } = await pool.query<{ text: string | null }>(`SELECT ${textColumn(text.format)} AS text FROM rows WHERE table_id = $1 AND key = $2`, [tableId, key]);
      if (found[0]?.text !== text.serialize(rows[i])) throw new Error(`${tableId} row ${key}: its ${text.format} text is not the serializer's`);
    }
  }
}

async function insertSecurity(pool: pg.Pool, security: SecurityState, progress: (message: string) => void): Promise<void> {
  for (let start = 0; start < security.users.length; start += USERS_PER_STATEMENT) {
    const users = security.users.slice(start, start + USERS_PER_STATEMENT);
    const column = <T>(pick: (user: User) => T) => users.map(pick);
    const lists = (pick: (user: User) => readonly string[]) => {
      const ids: string[] = [];
      const members: string[] = [];
      const positions: number[] = [];
      for (const user of users) pick(user).forEach((member, i) => (ids.push(user.id), members.push(member), positions.push(i + 1)));
      return [ids, members, positions];
    };
    const grants = users.flatMap((user) => Object.entries(user.grants).filter(([, format]) => format !== 'none').map(([table, format]) => [user.id, table, format]));
    await pool.query(
      `INSERT INTO users (id, username, email, name, surname, description, kind, roles, active, allowed_ips, api_authorized, created_at, updated_at)
       SELECT id, username, email, name, surname, description, kind, string_to_array(roles, ','), active, string_to_array(ips, ','), api, created_at, updated_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::boolean[], $10::text[],
                     $11::boolean[], $12::timestamptz[], $13::timestamptz[])
           AS u(id, username, email, name, surname, description, kind, roles, active, ips, api, created_at, updated_at)`,
      [
        column((u) => u.id), column((u) => u.username), column((u) => u.email), column((u) => u.name), column((u) => u.surname),
        column((u) => u.description), column((u) => u.kind), column((u) => u.roles.join(',')), column((u) => u.active),
        column((u) => u.allowedIps.join(',')), column((u) => u.apiAuthorized), column((u) => u.createdAt), column((u) => u.updatedAt),
      ],
    );
    await pool.query('INSERT INTO user_settings (user_id, warehouse, price_customer) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
      column((u) => u.id), column((u) => u.settings.warehouse), column((u) => u.settings.priceCustomer),
    ]);
    await pool.query('INSERT INTO user_organizations (user_id, organization_id, position) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[])', lists((u) => u.organizations));
    await pool.query('INSERT INTO user_teams (user_id, team_id, position) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[])', lists((u) => u.teams));
    await pool.query('INSERT INTO grants (user_id, table_id, format) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
      grants.map((g) => g[0]), grants.map((g) => g[1]), grants.map((g) => g[2]),
    ]);
    if (security.users.length > USERS_PER_STATEMENT) progress(`  users: ${start + users.length} of ${security.users.length}`);
  }
  for (let start = 0; start < security.credentials.length; start += 3 * USERS_PER_STATEMENT) {
    const credentials = security.credentials.slice(start, start + 3 * USERS_PER_STATEMENT);
    const column = <T>(pick: (credential: Credential) => T) => credentials.map(pick);
    await pool.query(
      `INSERT INTO credentials (id, user_id, token, name, key_digest, key_ciphertext, created_at, expires_at, revoked_at, last_used_at, last_used_ip)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[],
                            $9::timestamptz[], $10::timestamptz[], $11::text[])`,
      [
        column((c) => c.id), column((c) => c.userId), column((c) => c.token), column((c) => c.name), column((c) => c.keyDigest),
        column((c) => c.keyCiphertext), column((c) => c.createdAt), column((c) => c.expiresAt), column((c) => c.revokedAt),
        column((c) => c.lastUsedAt), column((c) => c.lastUsedIp),
      ],
    );
  }
}

/** The loaded model as the store reads it back: the same counts, and sampled users whole. */
async function checkSecurity(reads: SecurityReads, security: SecurityState): Promise<void> {
  const users = await reads.countUsers();
  if (users !== security.users.length) throw new Error(`loaded ${users} users, not ${security.users.length}`);
  const step = Math.max(1, Math.floor(security.users.length / 20));
  for (let i = 0; i < security.users.length; i += step) {
    const expected = security.users[i];
    const read = await reads.getUser(expected.id);
    if (!isDeepStrictEqual(read, expected)) throw new Error(`user ${expected.username} reads back as ${JSON.stringify(read)}`);
    const credentials = await reads.listCredentials(expected.id);
    const written = security.credentials.filter((c) => c.userId === expected.id);
    if (credentials.length !== written.length || credentials.some((c) => !written.some((w) => isDeepStrictEqual(w, c)))) {
      throw new Error(`user ${expected.username}'s credentials read back differently`);
    }
  }
}
