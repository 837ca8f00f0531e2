import { randomBytes } from 'node:crypto';
import { describe, inject } from 'vitest';
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
