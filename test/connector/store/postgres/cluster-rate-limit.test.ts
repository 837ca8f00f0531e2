import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterRateLimiter } from '../../../../connector/store/postgres/cluster-rate-limit';
import { migrate } from '../../../../connector/store/postgres/migrate';
import { createPool } from '../../../../connector/store/postgres/pool';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';

const N = 40;
const WINDOW_MS = 60_000;
/** A window's start: fixed windows are multiples of the window length. */
const WINDOW = Math.floor(Date.UTC(2026, 5, 1) / WINDOW_MS) * WINDOW_MS;

describeWithPostgres('cluster-wide rate limit on PostgreSQL', () => {
  let database: TestDatabase;
  let pools: pg.Pool[];
  let limiters: ClusterRateLimiter[];

  beforeAll(async () => {
    database = await createTestDatabase();
    pools = Array.from({ length: 3 }, () => createPool(database.url, { max: 3 }));
    await migrate(pools[0]);
    limiters = pools.map((pool) => new ClusterRateLimiter(pool, N, WINDOW_MS));
  });
  afterAll(async () => {
    await Promise.all(pools?.map((pool) => pool.end()) ?? []);
    await database?.drop();
  });

  /** `perInstance` concurrent requests on each of the 3 instances at `now`; the accepted count. */
  async function burst(credentialId: string, now: number, perInstance: number): Promise<number[]> {
    return Promise.all(limiters.flatMap((limiter) => Array.from({ length: perInstance }, () => limiter.take(credentialId, now))));
  }

  it('3 instances hitting one credential at once accept N in total per window (contract: 0.95·N to 1.5·N)', async () => {
    const answers = await burst('cred-a', WINDOW + 10, 50);
    const accepted = answers.filter((retryAfter) => retryAfter === 0).length;
    expect(accepted).toBeGreaterThanOrEqual(0.95 * N);
    expect(accepted).toBeLessThanOrEqual(1.5 * N);
    // The count is the database's, so it is exact.
    expect(accepted).toBe(N);
    // Refused with the seconds until the window ends (60 s window, 10 ms in).
    expect(new Set(answers.filter((retryAfter) => retryAfter !== 0))).toEqual(new Set([60]));
  });

  it('requests spread over time within the window also stop at N, and the next window starts afresh', async () => {
    let accepted = 0;
    for (let step = 0; step < 30; step++) {
      const answers = await burst('cred-b', WINDOW + step * 1000, 1);
      accepted += answers.filter((retryAfter) => retryAfter === 0).length;
    }
    expect(accepted).toBe(N);
    const later = await limiters[1].take('cred-b', WINDOW + 59_500);
    expect(later).toBe(1);
    const next = await burst('cred-b', WINDOW + WINDOW_MS, 5);
    expect(next.every((retryAfter) => retryAfter === 0)).toBe(true);
  });

  it('credentials are counted apart', async () => {
    const [a, b] = await Promise.all([burst('cred-c', WINDOW, 20), burst('cred-d', WINDOW, 10)]);
    expect(a.filter((r) => r === 0)).toHaveLength(N);
    expect(b.filter((r) => r === 0)).toHaveLength(30);
  });

  it('sweeps ended windows from the table', async () => {
    const { rows: before } = await pools[0].query<{ n: number }>("SELECT count(*)::int AS n FROM rate_limit_windows WHERE credential_id = 'cred-a'");
    expect(before[0].n).toBe(1);
    const sweeper = new ClusterRateLimiter(pools[2], N, WINDOW_MS);
    await sweeper.take('cred-e', WINDOW + 10 * WINDOW_MS);
    await expect
      .poll(async () => (await pools[0].query<{ n: number }>('SELECT count(*)::int AS n FROM rate_limit_windows')).rows[0].n)
      .toBe(1);
  });
});
