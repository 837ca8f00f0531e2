import { silentLogger, type Logger } from '../../logger';
import { prepared, type Queryable } from './queryable';

const SWEEP_EVERY_MS = 60_000;

interface Batch {
  credentialId: string;
  windowStart: number;
  waiters: Array<{ now: number; resolve: (retryAfter: number) => void; reject: (error: unknown) => void }>;
}

/**
 * The per-credential rate limit for every instance on one database (`rate_limit_windows`).
 * Windows are fixed and aligned to multiples of the window length, so every instance agrees which
 * window a request falls in.
 *
 * The invariant: a request is accepted only when its place in the window's cluster-wide count,
 * as the atomic `count = count + k RETURNING count` hands it out, is at most the limit. So a window
 * accepts exactly min(requests made, limit) across all instances, inside the contract's
 * 0.95·N–1.5·N. Requests are batched without a timer: while one statement is in flight, the
 * requests that arrive wait and go together in the next (one statement per instance at a time,
 * whatever the load), and an idle instance sends a request at once. A window this instance has
 * seen full is refused locally, without a round trip: its count only grows.
 */
export class ClusterRateLimiter {
  private pending = new Map<string, Batch>();
  private inFlight = false;
  /** Windows seen full, by key, with their start. */
  private readonly full = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    private readonly db: Queryable,
    private readonly requests: number,
    private readonly windowMs: number,
    private readonly log: Logger = silentLogger,
  ) {}

  /** Counts one request; resolves to 0 when allowed, else the seconds until the window resets. */
  take(credentialId: string, now: number): Promise<number> {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    const key = `${windowStart} ${credentialId}`;
    if (this.full.has(key)) return Promise.resolve(this.retryAfter(windowStart, now));
    this.sweep(now);
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(key);
      if (!batch) this.pending.set(key, (batch = { credentialId, windowStart, waiters: [] }));
      batch.waiters.push({ now, resolve, reject });
      if (!this.inFlight) this.send();
    });
  }

  private send(): void {
    const batches = [...this.pending.values()];
    this.pending = new Map();
    this.inFlight = true;
    this.count(batches).finally(() => {
      this.inFlight = false;
      if (this.pending.size > 0) this.send();
    });
  }

  private async count(batches: Batch[]): Promise<void> {
    let totals: Map<string, number>;
    try {
      const { rows } = await this.db.query<{ credential_id: string; start_ms: number; count: number }>(
        prepared(`INSERT INTO rate_limit_windows AS w (credential_id, window_start, count)
         SELECT id, to_timestamp(start_ms / 1000.0), n FROM unnest($1::text[], $2::float8[], $3::integer[]) AS b(id, start_ms, n)
         ON CONFLICT (credential_id, window_start) DO UPDATE SET count = w.count + excluded.count
         RETURNING credential_id, (extract(epoch FROM window_start) * 1000)::float8 AS start_ms, count`),
        [batches.map((b) => b.credentialId), batches.map((b) => b.windowStart), batches.map((b) => b.waiters.length)],
      );
      totals = new Map(rows.map((row) => [`${Math.round(row.start_ms)} ${row.credential_id}`, row.count]));
    } catch (error) {
      for (const batch of batches) for (const waiter of batch.waiters) waiter.reject(error);
      return;
    }
    for (const batch of batches) {
      const key = `${batch.windowStart} ${batch.credentialId}`;
      const total = totals.get(key) ?? Number.POSITIVE_INFINITY;
      if (total >= this.requests) this.full.set(key, batch.windowStart);
      // This batch holds places total − k + 1 … total of the window, in arrival order.
      let place = total - batch.waiters.length;
      for (const waiter of batch.waiters) {
        place++;
        waiter.resolve(place <= this.requests ? 0 : this.retryAfter(batch.windowStart, waiter.now));
      }
    }
  }

  private retryAfter(windowStart: number, now: number): number {
    return Math.max(1, Math.ceil((windowStart + this.windowMs - now) / 1000));
  }

  /** Now and then, forgets ended windows here and deletes them from the table (any instance may). */
  private sweep(now: number): void {
    if (now - this.lastSweep < Math.max(this.windowMs, SWEEP_EVERY_MS)) return;
    this.lastSweep = now;
    const current = Math.floor(now / this.windowMs) * this.windowMs;
    for (const [key, start] of this.full) if (start < current) this.full.delete(key);
    this.db
      .query('DELETE FROM rate_limit_windows WHERE window_start < to_timestamp($1 / 1000.0)', [current])
      .catch((error: Error) => this.log.warn('rate_limit_sweep_failed', { message: error.message }));
  }
}
