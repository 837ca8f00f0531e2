/** Counts one request of a credential; resolves to 0 when allowed, else the seconds to wait. */
export interface RateLimiter {
  take(id: string, now: number): Promise<number>;
}

/**
 * A fixed-window request counter per credential, in memory, for one process (the embedded store):
 * a restart forgives, which is acceptable for a limit meant to stop runaway scripts, not to bill.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly requests: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request; returns 0 when allowed, else the seconds until the window resets. */
  async take(id: string, now: number): Promise<number> {
    return this.count(id, now);
  }

  /** The count itself, synchronous: between two requests' counts nothing else may run. */
  private count(id: string, now: number): number {
    this.sweep(now);
    let window = this.windows.get(id);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(id, window);
    }
    window.count++;
    if (window.count <= this.requests) return 0;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [id, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(id);
    }
  }
}
