/** Set to use an existing server (a role that may CREATE DATABASE) instead of a throwaway cluster. */
export const TEST_DATABASE_URL_ENV = 'SHEETGATE_TEST_DATABASE_URL';

export type PostgresSource = { kind: 'given'; url: string } | { kind: 'cluster'; binDir: string } | { kind: 'none'; warning: string };

/**
 * Where a test run gets PostgreSQL: the server the env names, else a throwaway cluster from the
 * binaries found, else none, which only a developer's machine accepts: CI never passes by
 * skipping the PostgreSQL tests, so there it is an error.
 */
export function postgresSource(env: NodeJS.ProcessEnv, binDir: string | null): PostgresSource {
  const given = env[TEST_DATABASE_URL_ENV];
  if (given) return { kind: 'given', url: given };
  if (binDir !== null) return { kind: 'cluster', binDir };
  const missing = 'PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH)';
  if (env.CI) throw new Error(`${missing}: install Debian's postgresql (.ci/run does) or set ${TEST_DATABASE_URL_ENV}.`);
  return { kind: 'none', warning: `${missing}: the PostgreSQL store tests are skipped. Install it or set ${TEST_DATABASE_URL_ENV}.` };
}
