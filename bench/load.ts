import autocannon from 'autocannon';
import { cpuMs } from './processes';
import { percentile } from './stats';

export interface LoadOptions {
  url: string;
  /** One or more requests; each connection cycles through them in order. */
  requests: Array<{ path: string; headers?: Record<string, string> }>;
  connections: number;
  durationSec: number;
  /** The server's pid, to read the CPU time it spent per answered request. */
  pid?: number;
  /** CPU ms used so far by what serves the server (the PostgreSQL cluster), read beside the pid's. */
  backendCpuMs?: () => number;
}

export interface LoadResult {
  /** 2xx responses per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  total: number;
  /** Non-2xx responses plus errors and timeouts: any is a broken measurement. */
  failures: number;
  /**
   * Server CPU (user + system) per answered request, in µs: steadier than throughput on a shared
   * machine, since time the server is not scheduled does not count. NaN without a pid or /proc.
   */
  cpuUs: number;
  /** The same for `backendCpuMs` (the database's CPU per answered request); NaN without it. */
  backendCpuUs: number;
}

/**
 * One autocannon run. Latencies come from autocannon's per-response event (fractional ms), so
 * sub-millisecond p99s are not rounded to whole milliseconds by its histogram.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  const cpuBefore = options.pid === undefined ? Number.NaN : cpuMs(options.pid);
  const backendBefore = options.backendCpuMs?.() ?? Number.NaN;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    requests: options.requests.map((r) => ({ method: 'GET', path: r.path, headers: r.headers ?? {} })),
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status >= 200 && status < 300) {
      ok++;
      latencies.push(responseTime);
    }
  });
  const result = await instance;
  const cpuUsed = options.pid === undefined ? Number.NaN : cpuMs(options.pid) - cpuBefore;
  const backendUsed = (options.backendCpuMs?.() ?? Number.NaN) - backendBefore;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length),
    total: ok,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuUs: (cpuUsed * 1000) / Math.max(1, ok),
    backendCpuUs: (backendUsed * 1000) / Math.max(1, ok),
  };
}

/** A short unmeasured run so every server is past JIT warm-up before it is measured. */
export async function warmUp(options: Omit<LoadOptions, 'durationSec'>, seconds: number): Promise<void> {
  await runLoad({ ...options, durationSec: seconds });
}
