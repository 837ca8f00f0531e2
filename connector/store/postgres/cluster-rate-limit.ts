import { silentLogger, type Logger } from '../../logger';
import { prepared, type Queryable } from './queryable';

const SWEEP_EVERY_MS = 60_000;

/**
 * Beyond the requests waiting, a claim takes 1/SLICE_SHARE of what the window has left (as last
 * seen here), for this instance's next requests: a busy instance asks the database once per
 * slice, not once per request. A slice is the only place that can go unused (its instance went
 * idle before the window ended), so a window still accepts at least N − I·N/SLICE_SHARE across I
 * instances when more than N are asked (1 % of N per instance: the contract's 0.95·N holds for
 * up to 5 instances that all go idle at once), and never more than N. Under SLICE_SHARE requests
 * a window there is no slice: every place is claimed when it is needed.
 */
export const SLICE_SHARE = 100;

interface Batch {
  credentialId: string;
  windowStart: number;
  waiters: Array<{ now: number; resolve: (retryAfter: number) => void; reject: (error: unknown) => void }>;
  /** Places claimed beyond the waiters, for later requests. */
  slice: number;
}

/** This instance's share of one window: places claimed and not yet used, and what the window had left when last seen. */
interface Held {
  windowStart: number;
  places: number;
  left: number;
}

/**
 * The per-credential rate limit for every instance on one database (`rate_limit_windows`).
 * Windows are fixed and aligned to multiples of the window length, so every instance agrees which
 * window a request falls in.
 *
 * The invariant: a request is accepted only when it holds a place in the window's cluster-wide
 * count at most the limit, as the atomic `count = count + k RETURNING count` hands places out. So
 * a window accepts at most N across all instances, and at least N less the places claimed and
 * left unused (see SLICE_SHARE), inside the contract's 0.95·N–1.5·N. Places are claimed only for
 * a credential whose key was proven (the caller counts after `authenticate`), so a refused
 * request never takes another credential's. Claims are batched without a timer: while one
 * statement is in flight, the requests that arrive wait and go together in the next (one
 * statement per instance at a time, whatever the load), and an idle instance sends a request at
 * once. A window this instance has seen full is refused locally, without a round trip: its count
 * only grows.
 */
export class ClusterRateLimiter {
  private pending = new Map<string, Batch>();
  private inFlight = false;
  /** Windows seen full, by key, with their start. */
  private readonly full = new Map<string, number>();
  /** Places claimed and not yet used, by key. */
  private readonly held = new Map<string, Held>();
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
    const held = this.held.get(key);
    if (held && held.places > 0) {
      held.places--;
      return Promise.resolve(0);
    }
    if (this.full.has(key)) return Promise.resolve(this.retryAfter(windowStart, now));
    this.sweep(now);
    return new Promise((resolve, reject) => {
      let batch = this.pending.get(key);
      if (!batch) {
        const slice = Math.floor((held?.left ?? this.requests) / SLICE_SHARE);
        this.pending.set(key, (batch = { credentialId, windowStart, waiters: [], slice }));
      }
      batch.waiters.push({ now, resolve, reject });
      if (!this.inFlight) this.send();
    });
  }

  private send(): void {
    const batches: Batch[] = [];
    for (const [key, batch] of this.pending) {
      // Places the claim just answered brought beyond its own waiters serve these first.
      const held = this.held.get(key);
      while (held && held.places > 0 && batch.waiters.length > 0) {
        held.places--;
        batch.waiters.shift()!.resolve(0);
      }
      if (batch.waiters.length > 0) batches.push(batch);
    }
    this.pending = new Map();
    if (batches.length === 0) return;
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
        [batches.map((b) => b.credentialId), batches.map((b) => b.windowStart), batches.map((b) => b.waiters.length + b.slice)],
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
      // This claim holds places total − k + 1 … total of the window: the waiters take the first,
      // in arrival order; what is left of them within the limit is held for the next requests.
      const claimed = batch.waiters.length + batch.slice;
      let granted = Math.max(0, Math.min(claimed, this.requests - (total - claimed)));
      for (const waiter of batch.waiters) {
        waiter.resolve(granted > 0 ? 0 : this.retryAfter(batch.windowStart, waiter.now));
        if (granted > 0) granted--;
      }
      this.held.set(key, { windowStart: batch.windowStart, places: (this.held.get(key)?.places ?? 0) + granted, left: Math.max(0, this.requests - total) });
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
    for (const [key, held] of this.held) if (held.windowStart < current) this.held.delete(key);
    this.db
      .query('DELETE FROM rate_limit_windows WHERE window_start < to_timestamp($1 / 1000.0)', [current])
      .catch((error: Error) => this.log.warn('rate_limit_sweep_failed', { message: error.message }));
  }
}
