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
  progress(message: string): void;
}

/** `sheetgate serve` (the real CLI bundle) on a fresh port, plain HTTP on loopback. */
export function startConnector(ctx: BenchContext, dataDir: string, label: string, extra: string[] = []): Promise<Server> {
  const nodeArgs = ctx.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(ctx.profileDir, label)}`] : [];
  return startServer(ctx.built.cli, ['serve', '--port', '{port}', '--host', '127.0.0.1', '--data', dataDir, ...extra], {
    env: BENCH_ENV,
    nodeArgs,
  });
}
