import { existsSync, statSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findPostgresBinaries, startPostgresCluster } from './postgres-cluster';

// Without binaries the run either fails first (CI) or has no cluster to test; with
// SHEETGATE_TEST_DATABASE_URL the binaries may still be absent.
describe.skipIf(findPostgresBinaries() === null)('a throwaway PostgreSQL cluster', () => {
  it('starts on a free port (as the postgres OS user when we are root), answers, and is gone after stop', async () => {
    const cluster = await startPostgresCluster();
    try {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      const { rows } = await client.query<{ one: number; user: string }>('SELECT 1 AS one, current_user AS user');
      await client.end();
      expect(rows).toEqual([{ one: 1, user: 'postgres' }]);
      if (process.getuid?.() === 0) expect(statSync(cluster.dataDir).uid).not.toBe(0);
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dataDir)).toBe(false);
    const after = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
    await expect(after.connect()).rejects.toThrow();
  });
});
