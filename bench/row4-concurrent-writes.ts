import pg from 'pg';
import { KEY_HEADER, TOKEN_HEADER } from '../connector/contract';
import { startConnector, type BenchContext } from './context';
import { send, type Server } from './processes';
import { fmtMs, fmtRate, median } from './stats';
import type { AuthStore, OnPostgres } from './stores';
import type { ResultLine } from './table';

const INSTANCES = 3;
/** Requests each instance has in flight at once. */
const IN_FLIGHT = 4;

/**
 * Issue 13 row 6, second half: three connectors on one PostgreSQL database authorize the same users
 * at once (every user on every instance: each authorize is a new credential), then the database is
 * counted. Every acknowledged credential must be stored exactly once, and nothing else written:
 * no lost write (an acknowledged id missing) and no doubled one (more credentials than answers).
 */
export async function row4Concurrent(ctx: BenchContext, store: OnPostgres<AuthStore>): Promise<ResultLine> {
  const users = store.targets.slice(-(ctx.quick ? 30 : 100));
  const headers = { [TOKEN_HEADER]: store.admin.token, [KEY_HEADER]: store.admin.key };
  const pool = new pg.Pool({ connectionString: store.dir, max: 1 });
  const servers: Server[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) servers.push(await startConnector(ctx, store.dir, `row4-instance-${i + 1}`));
    const stored = async () => (await pool.query<{ id: string }>('SELECT id FROM credentials WHERE user_id = ANY($1)', [users])).rows.map((r) => r.id);
    const before = new Set(await stored());
    ctx.progress(`row 4: ${INSTANCES} instances authorizing ${users.length} users each, at once`);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      servers.flatMap((server, s) =>
        Array.from({ length: IN_FLIGHT }, async (_, lane) => {
          // Each instance walks the users from another starting point, so the same user is written on several at once.
          for (let n = lane; n < users.length; n += IN_FLIGHT) {
            const user = users[(n + s * Math.floor(users.length / INSTANCES)) % users.length];
            const answer = await send(`${server.url}/admin/users/${user}/api-access`, { method: 'PUT', headers, body: { authorized: true } });
            latencies.push(answer.ms);
            if (answer.status === 200) acknowledged.push((JSON.parse(answer.body.toString('utf8')) as { credential: { id: string } }).credential.id);
            else refused.push(`${answer.status} ${answer.body.toString('utf8').slice(0, 120)}`);
          }
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const added = (await stored()).filter((id) => !before.has(id));
    const addedSet = new Set(added);
    const lost = acknowledged.filter((id) => !addedSet.has(id)).length;
    const doubled = added.length - new Set(acknowledged).size + (acknowledged.length - new Set(acknowledged).size);
    const writes = users.length * INSTANCES;
    const ok = refused.length === 0 && lost === 0 && doubled === 0 && acknowledged.length === writes;
    return {
      row: '4',
      what: `authorize from ${INSTANCES} instances at once on PostgreSQL (${store.users.toLocaleString('en-US')} users; ${users.length} users × ${INSTANCES} instances, ${IN_FLIGHT} in flight each)`,
      figures:
        `${acknowledged.length} of ${writes} acknowledged, ${added.length} credentials stored: ${lost} lost, ${doubled} doubled` +
        `${refused.length ? `, refused: ${refused[0]}` : ''}; ${fmtRate(acknowledged.length / seconds)} in total, median ${fmtMs(median(latencies))}`,
      ratio: `${fmtRate(acknowledged.length / seconds)} writes`,
      target: 'no lost or doubled write; throughput reported',
      met: ok,
    };
  } finally {
    for (const server of servers) await server.stop();
    await pool.end();
  }
}
