import { join } from 'node:path';
import { KEY_HEADER, TOKEN_HEADER } from '../connector/contract';
import { KeyVault } from '../connector/credentials/vault';
import { authenticate } from '../connector/security/authenticate';
import { LowdbSecurityRepository } from '../connector/store/lowdb/security-file';
import { DISCARDED_AUDIT } from '../connector/store/discarded-audit';
import type { SecurityRepository } from '../connector/store/types';
import { silentLogger } from '../connector/logger';
import { openServices } from '../connector/services';
import { isDatabaseUrl, startConnector, type BenchContext } from './context';
import { BENCH_SECRET } from './fixtures';
import { runLoad, warmUp, type LoadResult } from './load';
import type { Server } from './processes';
import { fmtMs, fmtRatio, median } from './stats';
import type { AuthStore } from './stores';
import type { ResultLine } from './table';

const PATH = '/v1/tables';

/**
 * Row 2: the credential check with 10 users vs 100,000 users and 300,000 credentials. In process:
 * the real `authenticate()` over the real lowdb security repository (ten pairs in turn), timed per
 * call. Over HTTP: `GET /v1/tables` (the cheapest authenticated route) against two connectors.
 */
export async function row2(ctx: BenchContext, small: AuthStore, big: AuthStore): Promise<ResultLine[]> {
  const perCall = await inProcess(ctx, small, big);
  const http = await overHttp(ctx, small, big);
  const on = isDatabaseUrl(small.dir) ? ', on PostgreSQL' : '';
  const label = `${small.users} users vs ${big.users.toLocaleString('en-US')} users / ${big.credentials.toLocaleString('en-US')} credentials${on}`;
  const inRatio = perCall.ratio;
  const httpRatio = http.meanRatio;
  return [
    {
      row: '2',
      what: `credential check, in process (authenticate()): ${label}`,
      figures: `${(perCall.small * 1000).toFixed(2)} µs vs ${(perCall.big * 1000).toFixed(2)} µs per check`,
      ratio: `${fmtRatio(inRatio)} (median of paired runs)`,
      target: 'within 10 %',
      met: Math.abs(inRatio - 1) <= 0.1,
    },
    {
      row: '2',
      what: `credential check over HTTP (GET ${PATH}, mean / p99 latency)${on}`,
      figures:
        `${fmtMs(http.small.mean)} / ${fmtMs(http.small.p99)} vs ${fmtMs(http.big.mean)} / ${fmtMs(http.big.p99)}; ` +
        `server CPU ${http.small.cpuUs.toFixed(0)} vs ${http.big.cpuUs.toFixed(0)} µs per request`,
      ratio: `${fmtRatio(httpRatio)} mean, ${fmtRatio(http.p99Ratio)} p99 (paired runs)`,
      target: 'within 10 %',
      met: Math.abs(httpRatio - 1) <= 0.1,
    },
  ];
}

async function inProcess(ctx: BenchContext, small: AuthStore, big: AuthStore): Promise<{ small: number; big: number; ratio: number }> {
  ctx.progress('row 2: opening both security stores in process');
  const vault = new KeyVault(Buffer.from(BENCH_SECRET, 'utf8'));
  const repos = { small: await openSecurity(small.dir), big: await openSecurity(big.dir) };
  // A check on PostgreSQL is two round trips (~0.5 ms), on lowdb two Map lookups (~7 µs): as many
  // calls as fill a sample of about the same length on each.
  const postgres = isDatabaseUrl(small.dir);
  const calls = postgres ? (ctx.quick ? 300 : 1000) : ctx.quick ? 20_000 : 40_000;
  const now = new Date();
  const time = async (which: 'small' | 'big') => {
    const pairs = (which === 'small' ? small : big).pairs;
    const { security } = repos[which];
    const started = performance.now();
    for (let i = 0; i < calls; i++) {
      const pair = pairs[i % pairs.length];
      await authenticate({ token: pair.token, key: pair.key, ip: '127.0.0.1', now }, security, vault);
    }
    return (performance.now() - started) / calls;
  };
  await time('small');
  await time('big');
  // Many short samples, each pair back to back (order alternating): the ratio is the median of the
  // pairs' ratios, so a burst of load from elsewhere on the machine skews one pair, not the result.
  const samples = { small: [] as number[], big: [] as number[] };
  const ratios: number[] = [];
  for (let round = 0; round < (ctx.quick ? 5 : postgres ? 11 : 21); round++) {
    const pair = { small: 0, big: 0 };
    for (const which of round % 2 ? (['big', 'small'] as const) : (['small', 'big'] as const)) pair[which] = await time(which);
    samples.small.push(pair.small);
    samples.big.push(pair.big);
    ratios.push(pair.big / pair.small);
  }
  await repos.small.close();
  await repos.big.close();
  return { small: median(samples.small), big: median(samples.big), ratio: median(ratios) };
}

/** The security repository the connector would open on `location` (a data directory or a database URL). */
async function openSecurity(location: string): Promise<{ security: SecurityRepository; close(): Promise<void> }> {
  if (isDatabaseUrl(location)) {
    const services = await openServices({ dataDir: '', databaseUrl: location, secret: BENCH_SECRET, log: silentLogger });
    return { security: services.store.security, close: () => services.close() };
  }
  const security = await LowdbSecurityRepository.open(join(location, 'security.json'), DISCARDED_AUDIT);
  return { security, close: () => security.close() };
}

async function overHttp(
  ctx: BenchContext,
  small: AuthStore,
  big: AuthStore,
): Promise<{ small: LoadResult; big: LoadResult; meanRatio: number; p99Ratio: number }> {
  const servers: Server[] = [];
  try {
    const stores = { small, big };
    const started = {
      small: await startConnector(ctx, small.dir, 'row2-small'),
      big: await startConnector(ctx, big.dir, 'row2-big'),
    };
    servers.push(started.small, started.big);
    const requests = (store: AuthStore) => store.pairs.map((p) => ({ path: PATH, headers: { [TOKEN_HEADER]: p.token, [KEY_HEADER]: p.key } }));
    for (const which of ['small', 'big'] as const) {
      await warmUp({ url: started[which].url, requests: requests(stores[which]), connections: ctx.connections }, ctx.warmSeconds);
    }
    const results = { small: [] as LoadResult[], big: [] as LoadResult[] };
    // More, shorter runs than row 1, each pair back to back: the ratios are medians of the pairs'.
    const rounds = ctx.quick ? 2 : 6;
    const seconds = ctx.quick ? ctx.loadSeconds : 3;
    for (let round = 0; round < rounds; round++) {
      for (const which of round % 2 ? (['big', 'small'] as const) : (['small', 'big'] as const)) {
        ctx.progress(`row 2: round ${round + 1}/${rounds}, ${which} store`);
        const result = await runLoad({
          url: started[which].url,
          requests: requests(stores[which]),
          connections: ctx.connections,
          durationSec: seconds,
          pid: started[which].pid,
        });
        if (result.failures > 0) throw new Error(`${which} store: ${result.failures} failed requests`);
        results[which].push(result);
      }
    }
    const pick = (list: LoadResult[]): LoadResult => ({
      rps: median(list.map((r) => r.rps)),
      p50: median(list.map((r) => r.p50)),
      p99: median(list.map((r) => r.p99)),
      mean: median(list.map((r) => r.mean)),
      cpuUs: median(list.map((r) => r.cpuUs)),
      backendCpuUs: median(list.map((r) => r.backendCpuUs)),
      total: list.reduce((s, r) => s + r.total, 0),
      failures: 0,
    });
    const paired = (of: (r: LoadResult) => number) => median(results.big.map((b, i) => of(b) / of(results.small[i])));
    return { small: pick(results.small), big: pick(results.big), meanRatio: paired((r) => r.mean), p99Ratio: paired((r) => r.p99) };
  } finally {
    for (const server of servers) await server.stop();
  }
}
