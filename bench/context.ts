import { join } from 'node:path';
import type { Built } from './build';
import { BENCH_ENV } from './fixtures';
import { startServer, type Server } from './processes';

/** What every row gets from the runner. */
export interface BenchContext {
  quick: boolean;
  built: Built;
  /** The run's temp directory (data directories, bodies, profiles). */
  root: string;
  /** autocannon connections for throughput rows. */
  connections: number;
  /** Seconds per autocannon run. */
  loadSeconds: number;
  /** Unmeasured load before a server's first measured run (JIT tier-up). */
  warmSeconds: number;
  /** Side-by-side rounds; the table shows the median over rounds. */
  rounds: number;
  /** Set by --profile: connectors run under `node --cpu-prof` writing here. */
  profileDir: string | null;
  /** Set by --compare: another connector bundle rows 1 and 3 load beside this tree's. */
  compareCli: string | null;
  progress(message: string): void;
}

/** A postgres:// URL where a data directory could be: the store is that database. */
export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * `sheetgate serve` (the real CLI bundle) on a fresh port, plain HTTP on loopback, on the data
 * directory or (a postgres:// URL) the PostgreSQL database at `location`.
 */
export function startConnector(ctx: BenchContext, location: string, label: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Server> {
  const nodeArgs = ctx.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(ctx.profileDir, label)}`] : [];
  const store = isDatabaseUrl(location) ? ['--database-url', location] : ['--data', location];
  return startServer(ctx.built.cli, ['serve', '--port', '{port}', '--host', '127.0.0.1', ...store, '--no-demo', ...extra], {
    env: { ...BENCH_ENV, ...env },
    nodeArgs,
  });
}
