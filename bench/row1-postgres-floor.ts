import { KeyVault } from '../connector/credentials/vault';
import { silentLogger } from '../connector/logger';
import { authenticate } from '../connector/security/authenticate';
import { openServices } from '../connector/services';
import { readTablePageJson } from '../connector/tables/read-table';
import { BENCH_SECRET, type Pair } from './fixtures';
import { median } from './stats';

/** What one call costs in process: this process's CPU and the database's, per call, in µs. */
export interface InProcessCost {
  connectorUs: number;
  databaseUs: number;
}

export interface PostgresPageParts {
  /** `authenticate()`: the principal's statement (credential, user, organizations) and the key check. */
  principal: InProcessCost;
  /** `readTablePageJson()` for an already known reader: the page's own statement and its assembly. */
  page: InProcessCost;
}

const IN_FLIGHT = 10;

/**
 * The two halves of the PostgreSQL page, timed in this process on the connector's own code
 * (`openServices` on the same database, the same reader and query as row 1's load), 10 calls in
 * flight as the load has 10 connections. The page half is what any design that skips the
 * principal's round trip (a cache validated in the page's statement) would still pay per request,
 * so with an HTTP answer's cost added it is a floor no such design gets under. In process, with no
 * HTTP beside it, each call runs warmer than in the server: the floor is, if anything, low.
 */
export async function postgresPageParts(databaseUrl: string, pair: Pair, databaseCpuMs: () => number, quick: boolean): Promise<PostgresPageParts> {
  const services = await openServices({ dataDir: '', databaseUrl, secret: BENCH_SECRET, log: silentLogger });
  try {
    const vault = new KeyVault(Buffer.from(BENCH_SECRET, 'utf8'));
    const presented = () => ({ token: pair.token, key: pair.key, ip: '127.0.0.1', now: new Date() });
    const reader = await authenticate(presented(), services.store.security, vault);
    const query = { format: 'standard', limit: '10' };
    const calls = {
      principal: () => authenticate(presented(), services.store.security, vault),
      page: () => readTablePageJson(services, reader, 'customers', query),
    };
    const perCall = quick ? 300 : 1000;
    const time = async (call: () => Promise<unknown>): Promise<InProcessCost> => {
      const cpu = process.cpuUsage();
      const database = databaseCpuMs();
      let next = 0;
      const worker = async () => {
        while (next++ < perCall) await call();
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      const used = process.cpuUsage(cpu);
      return { connectorUs: (used.user + used.system) / perCall, databaseUs: ((databaseCpuMs() - database) * 1000) / perCall };
    };
    await time(calls.principal);
    await time(calls.page);
    // Alternated rounds; the medians, so a burst of load elsewhere skews one round, not the figure.
    const rounds = { principal: [] as InProcessCost[], page: [] as InProcessCost[] };
    for (let round = 0; round < (quick ? 3 : 5); round++) {
      for (const which of round % 2 ? (['page', 'principal'] as const) : (['principal', 'page'] as const)) rounds[which].push(await time(calls[which]));
    }
    const med = (costs: InProcessCost[]): InProcessCost => ({
      connectorUs: median(costs.map((c) => c.connectorUs)),
      databaseUs: median(costs.map((c) => c.databaseUs)),
    });
    return { principal: med(rounds.principal), page: med(rounds.page) };
  } finally {
    await services.close();
  }
}
