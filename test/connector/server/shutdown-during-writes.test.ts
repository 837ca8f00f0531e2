import { rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { api, demoPairs, writeBurst, type Pair } from '../../helpers/connector-http';

// No rate limit in the way of a burst: every loop runs until the server goes away.
const ENV = { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' };
const started: RunningConnector[] = [];
const dirs: string[] = [];
const start = async (dir: string) => {
  const connector = await startConnector(dir, [], ENV);
  started.push(connector);
  return connector;
};
afterEach(async () => {
  // Stopping an exited process resolves at once, so every start is simply stopped again here.
  for (const connector of started.splice(0)) await connector.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const newDir = async () => {
  const dir = await tempDataDir();
  dirs.push(dir);
  return dir;
};

async function storedUsernames(url: string, admin: Pair): Promise<Set<string>> {
  const answer = await api(url, 'GET', '/admin/users?limit=1000', { pair: admin });
  expect(answer.status).toBe(200);
  return new Set((answer.body.users as Array<{ username: string }>).map((u) => u.username));
}

it('keeps every acknowledged write when stopped with SIGTERM in the middle of a burst', async () => {
  const dir = await newDir();
  const connector = await start(dir);
  const admin = demoPairs(connector.stdout()).get('sam.admin')!;
  const burst = writeBurst(connector.url, admin, 'term', 6);
  await burst.until(60);
  const stopping = Date.now();
  const exit = connector.stop();
  await burst.done; // the loops end as the server goes away, keep-alive connections included
  expect(await exit).toBe(0);
  expect(Date.now() - stopping).toBeLessThan(3000);
  expect(connector.stderr()).not.toMatch(/"level":(50|60)[,}]|\n\s+at /);
  expect(burst.refusals).toEqual([]);
  const acknowledged = [...burst.acknowledged];
  expect(acknowledged.length).toBeGreaterThanOrEqual(60);

  const restarted = await start(dir);
  const stored = await storedUsernames(restarted.url, admin);
  expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
});

/** Issue 4 asks for 20 kills in the middle of write bursts. */
const KILL_ROUNDS = 20;

it(`loads after kill -9 in the middle of write bursts, ${KILL_ROUNDS} times, with every write acknowledged before each kill`, async () => {
  const dir = await newDir();
  let running = await start(dir);
  const admin = demoPairs(running.stdout()).get('sam.admin')!;
  const acknowledged: string[] = [];
  for (let round = 0; round < KILL_ROUNDS; round++) {
    if (round > 0) running = await start(dir);
    const burst = writeBurst(running.url, admin, `kill${round}`, 6);
    // Kill at a different depth each round: right after the first writes, or deep into a burst.
    await burst.until(5 + (round % 4) * 5);
    const killed = running.kill();
    const before = [...burst.acknowledged]; // every answer received before the kill was sent
    await killed;
    await burst.done;
    acknowledged.push(...before);
    expect(burst.refusals).toEqual([]);
  }
  const restarted = await start(dir);
  const stored = await storedUsernames(restarted.url, admin);
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_ROUNDS * 5);
  expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
  expect((await api(restarted.url, 'GET', '/v1/tables/customers?limit=1', { pair: admin })).status).toBe(200);
}, 120_000);
