import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { migrate } from '../../connector/store/postgres/migrate';
import { createPool, type PoolOptions } from '../../connector/store/postgres/pool';
import { onServer } from './postgres-server';

/** `describe`, skipped only where the run has no PostgreSQL at all (never on CI: the run fails there). */
export const describeWithPostgres = describe.skipIf(inject('postgresUrl') === null);

export interface TestDatabase {
  /** A URL of the new, empty database. */
  readonly url: string;
  readonly name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * A fresh database on the run's server, so test files can run in parallel: empty, as an operator
 * starts with (a connector migrates it and, being the first, seeds the demo), or with `migrated` a
 * copy of the run's migrated template (the schema at its current version, no rows): no migration
 * per test context.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('postgresUrl');
  if (serverUrl === null) throw new Error('No PostgreSQL for this run; wrap the test in describeWithPostgres.');
  const name = `sg_${randomBytes(8).toString('hex')}`;
  const template = options.migrated ? inject('postgresTemplate') : null;
  await onServer(serverUrl, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * For the enclosing describe: a fresh database, migrated, and a pool on it (`options` as the
 * connector's), ended and dropped after the last test. Read `pool()` inside tests (it is set in
 * beforeAll).
 */
export function migratedPoolPerDescribe(options: PoolOptions = {}): { pool(): pg.Pool } {
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createPool(database.url, options);
    await migrate(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });
  return {
    pool() {
      if (!pool) throw new Error('migratedPoolPerDescribe: used outside a test');
      return pool;
    },
  };
}
