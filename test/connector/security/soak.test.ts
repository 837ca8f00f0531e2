import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { api, demoPairs, type Pair } from '../../helpers/connector-http';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';

// A soak: mixed traffic (analysts paging tables, admins writing, strangers refused) against one real
// server for a while. `npm run test:soak` runs 60 s and prints the figures (SOAK_SECONDS to change);
// inside `npm test` a few seconds keep the test itself honest.
const FULL = process.env.npm_lifecycle_event === 'test:soak';
const SECONDS = Number(process.env.SOAK_SECONDS ?? (FULL ? 60 : 4));
const LOOPS = 8;

let connector: RunningConnector | undefined;
let dir = '';
afterAll(async () => {
  await connector?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Resident memory of a process in MB, from /proc (Linux); null elsewhere. */
function rssMb(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

it(`stays healthy under ${SECONDS} s of mixed traffic: no 5xx, nothing unexpected, memory flat`, async () => {
  dir = await tempDataDir();
  connector = await startConnector(dir, [], { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '100000000/60' });
  const { url } = connector;
  const pid = connector.process.pid as number;
  const pairs = demoPairs(connector.stdout());
  const admin = pairs.get('sam.admin') as Pair;
  const analyst = pairs.get('ann.analyst') as Pair;
  const stranger: Pair = { token: analyst.token, key: admin.key };

  const histogram = new Map<string, number>();
  const unexpected: string[] = [];
  const count = (label: string) => histogram.set(label, (histogram.get(label) ?? 0) + 1);
  const deadline = Date.now() + SECONDS * 1000;
  const memory: number[] = [];
  const sampler = setInterval(() => {
    const rss = rssMb(pid);
    if (rss !== null) memory.push(rss);
  }, 250);

  const loop = async (n: number) => {
    for (let i = 0; Date.now() < deadline; i++) {
      const kind = (n + i) % 4;
      let answer;
      if (kind === 0) {
        answer = await api(url, 'GET', `/v1/tables/customers?format=expanded&limit=${50 + (i % 200)}`, { pair: analyst });
        if (answer.status !== 200) unexpected.push(`page ${answer.status}`);
      } else if (kind === 1) {
        const username = `soak-${n}-${i}`;
        answer = await api(url, 'POST', '/admin/users', { pair: admin, body: { username, email: `${username}@example.com`, kind: 'api' } });
        if (answer.status !== 201) unexpected.push(`create ${answer.status}`);
        else if (i % 3 === 0) {
          const authorized = await api(url, 'PUT', `/admin/users/${answer.body.id}/api-access`, { pair: admin, body: { authorized: true } });
          if (authorized.status !== 200) unexpected.push(`authorize ${authorized.status}`);
        }
      } else if (kind === 2) {
        answer = await api(url, 'GET', '/v1/tables/stock-levels?format=standard', { pair: stranger });
        if (answer.status !== 401) unexpected.push(`stranger ${answer.status}`);
      } else {
        answer = await api(url, 'GET', '/v1/tables/products/rows/P0001?format=detail', { pair: analyst });
        if (answer.status !== 200) unexpected.push(`row ${answer.status}`);
      }
      count(String(answer.status));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: LOOPS }, (_, n) => loop(n)));
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);

  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  const settled = memory.slice(Math.floor(memory.length / 4));
  const growth = settled.length > 1 ? settled[settled.length - 1] - settled[0] : 0;
  console.log(
    `soak: ${total} requests in ${elapsed.toFixed(1)} s (${Math.round(total / elapsed)}/s, ${LOOPS} loops); ` +
      `statuses ${JSON.stringify(Object.fromEntries([...histogram].sort()))}; ` +
      `server RSS ${memory.length ? `${Math.min(...memory).toFixed(0)}–${Math.max(...memory).toFixed(0)} MB, growth after warm-up ${growth.toFixed(1)} MB` : 'not measurable here'}`,
  );

  expect(unexpected.slice(0, 5)).toEqual([]);
  expect([...histogram.keys()].filter((status) => Number(status) >= 500)).toEqual([]);
  expect(total).toBeGreaterThan(SECONDS * 50);
  expect((await api(url, 'GET', '/healthz')).status).toBe(200);
  // A leak shows as steady growth; allow generous room for GC timing and the users created.
  if (FULL) expect(growth).toBeLessThan(150);
}, (SECONDS + 60) * 1000);
