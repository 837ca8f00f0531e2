import { spawn } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { findPostgresBinaries, startPostgresCluster, type PostgresCluster } from './helpers/postgres-cluster';
import { postgresSource } from './helpers/postgres-source';
import { createTemplateDatabase } from './helpers/postgres-template';
import { useTestConfigDir } from './helpers/test-config-dir';

declare module 'vitest' {
  interface ProvidedContext {
    /** The PostgreSQL server tests create their databases on; null only off CI without PostgreSQL. */
    postgresUrl: string | null;
    /** A migrated database each test database is copied from (CREATE DATABASE ... TEMPLATE): no migration per test. */
    postgresTemplate: string | null;
  }
}

/**
 * Once per run: builds the output that tests starting real processes or serving the pane need,
 * and, alongside, starts the throwaway PostgreSQL cluster the store tests create databases on
 * (unless SHEETGATE_TEST_DATABASE_URL names a server). Returns the teardown that stops it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const removeConfigDir = useTestConfigDir();
  const [, cluster] = await Promise.all([build(), postgresForRun()]);
  const template = cluster ? await createTemplateDatabase(cluster.url) : null;
  project.provide('postgresUrl', cluster?.url ?? null);
  project.provide('postgresTemplate', template?.name ?? null);
  return async () => {
    await template?.drop();
    await cluster?.stop();
    removeConfigDir();
  };
}

async function postgresForRun(): Promise<Pick<PostgresCluster, 'url' | 'stop'> | null> {
  const source = postgresSource(process.env, findPostgresBinaries());
  switch (source.kind) {
    case 'given':
      return { url: source.url, stop: async () => {} };
    case 'cluster':
      return startPostgresCluster({ binDir: source.binDir });
    case 'none':
      console.warn(`\n${source.warning}\n`);
      return null;
  }
}

function build(): Promise<void> {
  return new Promise((resolve, reject) => {
    // The self-hosted office.js: tests run without the internet (a deployment build loads Microsoft's CDN).
    const child = spawn('npm', ['run', '--silent', 'build', '--', '--self-hosted-office-js'], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}.`))));
  });
}
