import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAll } from './build';
import type { BenchContext } from './context';
import { benchRoot } from './fixtures';
import { row1 } from './row1-page';
import { row2 } from './row2-credential-check';
import { row3 } from './row3-full-pull';
import { row4 } from './row4-admin-write';
import { row5 } from './row5-addin';
import { row6 } from './row6-cold-start';
import { row4Concurrent } from './row4-concurrent-writes';
import { row7 } from './row7-table-size';
import { row8 } from './row8-compression';
import { startBenchPostgres, type BenchPostgres } from './postgres';
import {
  authStore,
  deepStore,
  mainStore,
  onPostgres,
  writeStore,
  type AuthStore,
  type Located,
  type MainStore,
  type OnPostgres,
  type Unavailable,
  type WriteStore,
} from './stores';
import { printTable, type ResultLine } from './table';

// `npm run bench [-- --quick] [-- --only 1,3] [-- --profile] [-- --keep] [-- --cli FILE] [-- --compare FILE]`: every row
// of issue 5, on loopback, one table of medians and ratios measured side by side in this run; rows
// 1–4 also on PostgreSQL (a throwaway cluster, started as the tests start theirs), and row 7, the
// table-size row of issue 13, on both stores; row 8, compression of large pages (issue 13 target 5).
// --profile runs the connectors under `node --cpu-prof`; --cli measures another connector bundle;
// --compare adds another bundle to rows 1 and 3, loaded in the same rounds (before/after in one run).

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** Another connector bundle to measure (e.g. one built from an older commit, for before/after). */
    cli: { type: 'string' },
    /** Rows 1 and 3 also load this connector bundle, side by side with this tree's: a before/after from one run. */
    compare: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const only = new Set((values.only ?? '1,2,3,4,5,6,7,8').split(',').map((s) => s.trim()));
const began = performance.now();
const progress = (message: string) => process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

// Ctrl-C (or a kill) runs the exit handlers too: they stop the servers and the PostgreSQL cluster.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const root = benchRoot();
const built = await buildAll();
if (values.cli) built.cli = resolve(values.cli);
const ctx: BenchContext = {
  quick,
  built,
  root,
  connections: 10,
  loadSeconds: quick ? 2 : 5,
  warmSeconds: quick ? 2 : 3,
  rounds: quick ? 1 : 3,
  profileDir: values.profile ? join(root, 'profiles') : null,
  compareCli: values.compare ? resolve(values.compare) : null,
  progress,
};
if (ctx.profileDir) mkdirSync(ctx.profileDir, { recursive: true });

const load = loadavg();
const lines: ResultLine[] = [];
let main: MainStore | undefined;
let bigWrite: WriteStore | undefined;
const mainData = () => (main ??= (progress('writing 100,000 customers'), mainStore(root)));
const bigWriteData = () => (bigWrite ??= (progress('writing 100,000 users'), writeStore(root, 'write-100000', 100_000)));
let auth: { small: AuthStore; big: AuthStore } | undefined;
const authData = () =>
  (auth ??= (progress('writing the row 2 stores (10 users; 100,000 users with 300,000 credentials)'),
  { small: authStore(root, 'auth-10', 10, 1), big: authStore(root, 'auth-100000', 100_000, 3) }));

// PostgreSQL, started once for the rows that use it; each data set loaded once, when first asked for.
let postgres: Promise<BenchPostgres | Unavailable> | undefined;
const loaded = new Map<string, Promise<OnPostgres<Located>>>();
async function onDatabase<T extends Located>(label: string, store: () => T): Promise<OnPostgres<T> | Unavailable> {
  const cluster = await (postgres ??= (progress('starting a throwaway PostgreSQL cluster'), startBenchPostgres()));
  if ('unavailable' in cluster) return cluster;
  let load = loaded.get(label);
  if (!load) {
    const source = store();
    progress(`loading ${label} into PostgreSQL`);
    load = onPostgres(cluster, label, source, progress).then((s) => (progress(`${label} loaded in ${(s.loadMs / 1000).toFixed(1)} s`), s));
    loaded.set(label, load);
  }
  return (await load) as OnPostgres<T>;
}
const pgMain = () => onDatabase('main', mainData);
const pgAuth = async () => ({ small: await onDatabase('auth-10', () => authData().small), big: await onDatabase('auth-100000', () => authData().big) });
const missing = (row: string, what: string, why: Unavailable): ResultLine[] => [{ row, what: `${what} on PostgreSQL`, figures: why.unavailable, ratio: '', target: '', met: null }];

async function step(row: string, run: () => Promise<ResultLine[]>): Promise<void> {
  if (!only.has(row)) return;
  try {
    lines.push(...(await run()));
  } catch (error) {
    lines.push({ row, what: 'failed', figures: `error: ${(error as Error).message.split('\n')[0]}`, ratio: '', target: '', met: null });
    progress(`row ${row} failed: ${(error as Error).stack}`);
  }
}

try {
  await step('1', async () => row1(ctx, mainData(), await pgMain()));
  await step('2', () => row2(ctx, authData().small, authData().big));
  await step('2', async () => {
    const { small, big } = await pgAuth();
    if ('unavailable' in small) return missing('2', 'credential check', small);
    if ('unavailable' in big) return missing('2', 'credential check', big);
    return row2(ctx, small, big);
  });
  await step('3', () => row3(ctx, mainData()));
  await step('3', async () => {
    const main = await pgMain();
    return 'unavailable' in main ? missing('3', 'full pull', main) : row3(ctx, main);
  });
  await step('4', () => {
    progress('writing the row 4 stores (10 and 10,000 users)');
    return row4(ctx, [writeStore(root, 'write-10', 10), writeStore(root, 'write-10000', 10_000), bigWriteData()]);
  });
  await step('4', async () => {
    const { small, big } = await pgAuth();
    if ('unavailable' in small) return missing('4', 'authorize', small);
    if ('unavailable' in big) return missing('4', 'authorize', big);
    return [...(await row4(ctx, [small, big])), await row4Concurrent(ctx, big)];
  });
  await step('5', () => row5(ctx, mainData()));
  await step('6', () => row6(ctx, bigWriteData()));
  await step('7', async () => {
    const sizes = [10_000, ctx.quick ? 200_000 : 1_000_000];
    const written = sizes.map((rows) => {
      progress(`writing a ${rows.toLocaleString('en-US')}-row table`);
      const started = performance.now();
      const store = deepStore(root, `deep-${rows}`, rows);
      return { store, loadMs: performance.now() - started };
    });
    const lines = [await row7(ctx, written[0], written[1])];
    const onPg = [];
    for (const w of written) {
      const s = await onDatabase(`deep-${w.store.rows}`, () => w.store);
      if ('unavailable' in s) return [...lines, ...missing('7', 'table size', s)];
      onPg.push({ store: s, loadMs: s.loadMs, databaseCpuMs: s.databaseCpuMs });
    }
    lines.push(await row7(ctx, onPg[0], onPg[1]));
    return lines;
  });
  await step('8', () => row8(ctx, mainData()));
} finally {
  const cluster = postgres && (await postgres);
  if (cluster && !('unavailable' in cluster)) await cluster.stop();
  if (!values.keep && !ctx.profileDir) rmSync(root, { recursive: true, force: true });
}

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
const out = (text: string) => process.stdout.write(text);
out(`\nSheetgate bench${quick ? ' (--quick)' : ''}, ${new Date().toISOString()}\n`);
out(`machine: ${availableParallelism()} cores (os.availableParallelism()), ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${process.platform}\n`);
out(
  `load: autocannon, ${ctx.connections} connections, ${ctx.loadSeconds} s per run after ${ctx.warmSeconds} s warm-up, ` +
    `${ctx.rounds} round(s) side by side (median over rounds); loopback 127.0.0.1, plain HTTP\n`,
);
out(
  `servers: each in its own process (${values.cli ? `connector from ${values.cli}` : 'sheetgate serve = the CLI bundled from this tree'}; ` +
    `bare Hono; Hono+auth; bare node:http); load average at start ${load.map((l) => l.toFixed(2)).join(' ')}, ` +
    `at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
);
out(`total ${((performance.now() - began) / 1000).toFixed(0)} s\n\n`);
printTable(lines);
if (ctx.profileDir) out(`\nCPU profiles (node --cpu-prof) of the connectors under ${ctx.profileDir}\n`);
else if (values.keep) out(`\ndata directories kept under ${root}\n`);
