import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterRateLimiter, SLICE_SHARE } from '../../../../connector/store/postgres/cluster-rate-limit';
import { migrate } from '../../../../connector/store/postgres/migrate';
import { createPool } from '../../../../connector/store/postgres/pool';
import type { Queryable } from '../../../../connector/store/postgres/queryable';
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

  describe(`a limit of at least ${SLICE_SHARE} a window: claims in slices`, () => {
    const LARGE = 1000;
    /** Statements each instance sent. */
    const statements = [0, 0, 0];
    let sliced: ClusterRateLimiter[];
    beforeAll(() => {
      const counting = (pool: pg.Pool, i: number): Queryable => ({
        query: (query: string | pg.QueryConfig, values?: unknown[]) => {
          statements[i]++;
          return pool.query(query, values);
        },
      });
      sliced = pools.map((pool, i) => new ClusterRateLimiter(counting(pool, i), LARGE, WINDOW_MS));
    });
    /** Sequential requests on one instance until one is refused (or `most` were made): how many were accepted. */
    async function untilRefused(limiter: ClusterRateLimiter, credentialId: string, now: number, most = Number.POSITIVE_INFINITY) {
      let accepted = 0;
      while (accepted < most && (await limiter.take(credentialId, now)) === 0) accepted++;
      return accepted;
    }

    it('a busy instance asks the database once per slice, not once per request', async () => {
      statements.fill(0);
      expect(await untilRefused(sliced[0], 'cred-s1', WINDOW + 10, 100)).toBe(100);
      // 1 + N/100 places first, then a slice of what is left: ~10 requests per statement.
      expect(statements[0]).toBeGreaterThan(5);
      expect(statements[0]).toBeLessThanOrEqual(12);
    });

    it('instances that keep asking accept exactly N together: every held place is used', async () => {
      const accepted = await Promise.all(sliced.map((limiter) => untilRefused(limiter, 'cred-s2', WINDOW + 10)));
      expect(accepted.reduce((a, b) => a + b)).toBe(LARGE);
      expect(accepted.every((n) => n > 0 && n < LARGE)).toBe(true);
    });

    it('places an idle instance holds are the only shortfall (at most N/100 per instance), and never more than N is accepted', async () => {
      expect(await sliced[0].take('cred-s3', WINDOW + 10)).toBe(0); // claims 1 + 10 places, uses 1
      const others = await Promise.all(sliced.slice(1).map((limiter) => untilRefused(limiter, 'cred-s3', WINDOW + 20)));
      const whileIdle = 1 + others[0] + others[1];
      expect(whileIdle).toBe(LARGE - LARGE / SLICE_SHARE);
      expect(whileIdle).toBeGreaterThanOrEqual(LARGE - sliced.length * (LARGE / SLICE_SHARE));
      // The idle instance's places are still its own to use, and then the window is full everywhere.
      expect(await untilRefused(sliced[0], 'cred-s3', WINDOW + 30)).toBe(LARGE / SLICE_SHARE);
      expect(await Promise.all(sliced.map((limiter) => limiter.take('cred-s3', WINDOW + 40)))).toEqual([60, 60, 60]);
    });

    it('credentials hold their places apart: one used up, another still gets its N', async () => {
      await untilRefused(sliced[1], 'cred-s4', WINDOW + 10);
      expect(await untilRefused(sliced[1], 'cred-s5', WINDOW + 10)).toBe(LARGE);
    });
  });
});
