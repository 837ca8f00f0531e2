import { KEY_HEADER, TOKEN_HEADER, type TablePage } from '../connector/contract';
import { isDatabaseUrl, startConnector, type BenchContext } from './context';
import { runLoad, warmUp, type LoadResult } from './load';
import { get, residentBytes, type Server } from './processes';
import { fmtMB, fmtMs, fmtRatio, median } from './stats';
import type { DeepStore } from './stores';
import type { ResultLine } from './table';

const PAGE = '/v1/tables/customers?format=standard&limit=10';

export interface SizedStore {
  store: DeepStore;
  /** How long writing (lowdb) or loading (PostgreSQL) the store took, before the connector started. */
  loadMs: number;
  databaseCpuMs?: () => number;
}

/**
 * Issue 13 row 3: a 10-row org-scoped page whose cursor sits near the end of a 1,000,000-row table,
 * against the same page near the end of a 10,000-row table, one store kind at a time (both
 * connectors up, runs paired and alternating as in row 2). Keyset paging finds the cursor's place
 * by index (PostgreSQL) or binary search (lowdb); a scan from the start would grow 100×.
 */
export async function row7(ctx: BenchContext, small: SizedStore, big: SizedStore): Promise<ResultLine> {
  const postgres = isDatabaseUrl(small.store.dir);
  const kind = postgres ? 'PostgreSQL' : 'lowdb';
  const servers: Server[] = [];
  try {
    const startedAt = performance.now();
    const connectors = { small: await startConnector(ctx, small.store.dir, `row7-${kind}-small`), big: await startConnector(ctx, big.store.dir, `row7-${kind}-big`) };
    servers.push(connectors.small, connectors.big);
    const startMs = { small: connectors.small.readyMs, big: connectors.big.readyMs };
    ctx.progress(`row 7 (${kind}): connectors up in ${Math.round(performance.now() - startedAt)} ms`);
    const sized = { small, big };
    const paths = { small: await deepPath(connectors.small, small.store), big: await deepPath(connectors.big, big.store) };
    const headers = (which: 'small' | 'big') => ({ [TOKEN_HEADER]: sized[which].store.scoped.token, [KEY_HEADER]: sized[which].store.scoped.key });
    const options = (which: 'small' | 'big') => ({
      url: connectors[which].url,
      requests: [{ path: paths[which], headers: headers(which) }],
      connections: ctx.connections,
      pid: connectors[which].pid,
      backendCpuMs: sized[which].databaseCpuMs,
    });
    for (const which of ['small', 'big'] as const) await warmUp(options(which), ctx.warmSeconds);
    const results = { small: [] as LoadResult[], big: [] as LoadResult[] };
    const rounds = ctx.quick ? 2 : 4;
    for (let round = 0; round < rounds; round++) {
      for (const which of round % 2 ? (['big', 'small'] as const) : (['small', 'big'] as const)) {
        ctx.progress(`row 7 (${kind}): round ${round + 1}/${rounds}, ${sized[which].store.rows.toLocaleString('en-US')} rows`);
        const result = await runLoad({ ...options(which), durationSec: ctx.quick ? ctx.loadSeconds : 3 });
        if (result.failures > 0) throw new Error(`${which} table: ${result.failures} failed requests`);
        results[which].push(result);
      }
    }
    // The embedded store holds the table in memory (issue 13 row 4 asks lowdb's RSS at 1,000,000
    // rows); PostgreSQL's connector holds none of it. Read after the runs: peak is the process's.
    const memory = (which: 'small' | 'big') => {
      const bytes = residentBytes(connectors[which].pid);
      return bytes ? `RSS ${fmtMB(bytes.rss)} (peak ${fmtMB(bytes.peak)})` : 'RSS n/a (no /proc)';
    };
    const cpu = (r: LoadResult) => r.cpuUs + (Number.isNaN(r.backendCpuUs) ? 0 : r.backendCpuUs);
    const paired = (of: (r: LoadResult) => number) => median(results.big.map((b, i) => of(b) / of(results.small[i])));
    const med = (which: 'small' | 'big', of: (r: LoadResult) => number) => median(results[which].map(of));
    const cpuRatio = paired(cpu);
    const latencyRatio = paired((r) => r.mean);
    const count = (n: number) => n.toLocaleString('en-US');
    const load = (s: SizedStore, which: 'small' | 'big') =>
      `${postgres ? 'loaded' : 'written'} in ${fmtMs(s.loadMs)}, connector ready in ${fmtMs(startMs[which])}, connector ${memory(which)}`;
    return {
      row: '7',
      what: `10-row org-scoped page with the cursor near the end: ${count(big.store.rows)} vs ${count(small.store.rows)} rows (13 columns, no sub-resources), on ${kind}`,
      figures:
        `mean ${fmtMs(med('big', (r) => r.mean))} vs ${fmtMs(med('small', (r) => r.mean))}, ` +
        `CPU ${med('big', cpu).toFixed(0)} vs ${med('small', cpu).toFixed(0)} µs per request${postgres ? ' (connector + database)' : ''}; ` +
        `${count(big.store.rows)} rows ${load(big, 'big')}; ${count(small.store.rows)} rows ${load(small, 'small')}`,
      ratio: `${fmtRatio(cpuRatio)} CPU, ${fmtRatio(latencyRatio)} mean latency (paired runs)`,
      target: '≤ 1.5× the 10,000-row table',
      met: cpuRatio <= 1.5 && latencyRatio <= 1.5,
    };
  } finally {
    for (const server of servers) await server.stop();
  }
}

/** The page path with a cursor the connector issued, moved to a key near the end of the table. */
async function deepPath(connector: Server, store: DeepStore): Promise<string> {
  const headers = { [TOKEN_HEADER]: store.scoped.token, [KEY_HEADER]: store.scoped.key };
  const first = JSON.parse((await get(`${connector.url}${PAGE}`, headers)).body.toString('utf8')) as TablePage;
  if (!first.nextCursor) throw new Error('the first page has no next cursor');
  const position = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8')) as { k: unknown };
  position.k = store.lastKeys[0];
  const path = `${PAGE}&cursor=${Buffer.from(JSON.stringify(position)).toString('base64url')}`;
  const deep = await get(`${connector.url}${path}`, headers);
  const page = JSON.parse(deep.body.toString('utf8')) as TablePage;
  const codes = page.rows?.map((row) => row.Code as string) ?? [];
  if (deep.status !== 200 || codes.length !== 10 || codes.some((code) => code <= store.lastKeys[0] || !store.lastKeys.includes(code))) {
    throw new Error(`the deep page answered ${deep.status} with ${codes.join(', ')}`);
  }
  return path;
}
