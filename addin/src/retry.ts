import type { PaneErrorCode } from './errors';

/** How the connector client waits and tries again; every field has a default for the pane. */
export interface RetryOptions {
  /** Tries after the first; 3 gives up after about 7 s of network trouble. */
  retries?: number;
  /** A `Retry-After` longer than this is not waited out: the analyst is told to come back. */
  maxWaitMs?: number;
  /** Waits `ms`, rejecting as soon as `signal` aborts (injected so tests need not wait). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told before each wait, so the pane can say it is waiting and for how long. */
  onWait?: (seconds: number, reason: 'rate_limited' | 'unreachable') => void;
}

export const DEFAULT_RETRIES = 3;
export const DEFAULT_MAX_WAIT_MS = 30_000;

/**
 * Milliseconds to wait before try `attempt + 1`, or null to give up: rate limits wait as long as
 * `Retry-After` says (up to `maxWaitMs`), network and gateway failures back off 1, 2, 4 s.
 */
export function retryDelay(code: PaneErrorCode, retryAfter: string | null, attempt: number, options: RetryOptions = {}): number | null {
  if (attempt > (options.retries ?? DEFAULT_RETRIES)) return null;
  const asked = retryAfterSeconds(retryAfter);
  const wait = asked !== null ? asked * 1000 : 1000 * 2 ** (attempt - 1);
  if (code === 'rate_limited' && wait > (options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS)) return null;
  return Math.min(wait, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / 1000));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
