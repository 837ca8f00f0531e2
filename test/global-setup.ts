import { spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from './helpers/postgres-cluster';

declare module 'vitest' {
  interface ProvidedContext {
    /** The PostgreSQL server tests create their databases on; null only off CI without PostgreSQL. */
    postgresUrl: string | null;
  }
}

/** Set to use an existing server (a role that may CREATE DATABASE) instead of a throwaway cluster. */
const TEST_DATABASE_URL_ENV = 'SHEETGATE_TEST_DATABASE_URL';

/**
 * Once per run: builds the output that tests starting real processes or serving the pane need,
 * and, alongside, starts the throwaway PostgreSQL cluster the store tests create databases on
 * (unless SHEETGATE_TEST_DATABASE_URL names a server). Returns the teardown that stops it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [, cluster] = await Promise.all([build(), postgresForRun()]);
  project.provide('postgresUrl', cluster?.url ?? null);
  return async () => {
    await cluster?.stop();
  };
}

async function postgresForRun(): Promise<Pick<PostgresCluster, 'url' | 'stop'> | null> {
  const given = process.env[TEST_DATABASE_URL_ENV];
  if (given) return { url: given, stop: async () => {} };
  if (findPostgresBinaries() === null) {
    const missing = 'PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH)';
    // CI must never pass by skipping what it cannot run.
    if (process.env.CI) throw new Error(`${missing}: install Debian's postgresql (.ci/run does) or set ${TEST_DATABASE_URL_ENV}.`);
    console.warn(`\n${missing}: the PostgreSQL store tests are skipped. Install it or set ${TEST_DATABASE_URL_ENV}.\n`);
    return null;
  }
  return startPostgresCluster();
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}.`))));
  });
}
