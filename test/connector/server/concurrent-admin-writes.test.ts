import { rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { api, demoPairs, type Answer, type Pair } from '../../helpers/connector-http';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';

// Issue 4: 1,000 concurrent admin writes (create users, authorize, revoke, grant) against one
// server; after a restart every acknowledged write is there and none is doubled.

const ENV = { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' };
const CONCURRENCY = 50;
const running: RunningConnector[] = [];
let dir: string;
afterEach(async () => {
  for (const connector of running.splice(0)) await connector.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the tasks with at most `limit` in flight at once. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

it('acknowledges 1,000 concurrent admin writes, and after a restart holds each exactly once', async () => {
  dir = await tempDataDir();
  const first = await startConnector(dir, [], ENV);
  running.push(first);
  const admin = demoPairs(first.stdout()).get('sam.admin') as Pair;
  const call = (method: string, path: string, body?: unknown) => api(first.url, method, path, { pair: admin, body });

  // 250 creates, then 250 each of authorize, grant and revoke-one-credential, all interleaved.
  const names = Array.from({ length: 250 }, (_, i) => `load${i}`);
  const created = await pool(
    names.map((username) => () => call('POST', '/admin/users', { username, email: `${username}@example.com`, kind: 'api' })),
    CONCURRENCY,
  );
  expect(created.map((answer) => answer.status)).toEqual(names.map(() => 201));
  const ids = created.map((answer) => answer.body.id as string);

  const authorized = await pool(ids.map((id) => () => call('PUT', `/admin/users/${id}/api-access`, { authorized: true })), CONCURRENCY);
  const mixed: Array<() => Promise<Answer>> = ids.flatMap((id, i) => [
    () => call('PUT', `/admin/users/${id}/grants`, { customers: i % 2 ? 'standard' : 'basic' }),
    () => call('DELETE', `/admin/users/${id}/credentials/${authorized[i].body.credential.id}`),
  ]);
  const answers = await pool(mixed, CONCURRENCY);
  const all = [...created, ...authorized, ...answers];
  expect(all).toHaveLength(1000);
  expect(all.filter((answer) => answer.status >= 300).map((answer) => answer.status)).toEqual([]);

  expect(await first.stop()).toBe(0);
  running.pop();
  const second = await startConnector(dir, [], ENV);
  running.push(second);
  expect(second.stdout()).not.toContain('Demo credentials');

  const { body } = await api(second.url, 'GET', '/admin/users?limit=1000', { pair: admin }) // 255 users: more than one default page;
  const stored = (body.users as Array<{ id: string; username: string; grants: Record<string, string> }>).filter((u) => u.username.startsWith('load'));
  expect(stored.map((u) => u.username).sort()).toEqual([...names].sort());
  for (const [i, id] of ids.entries()) {
    const user = stored.find((u) => u.id === id);
    expect(user?.grants.customers).toBe(i % 2 ? 'standard' : 'basic');
    const access = await api(second.url, 'GET', `/admin/users/${id}/api-access`, { pair: admin });
    expect(access.body.authorized).toBe(true);
    expect(access.body.credentials).toHaveLength(1); // one authorize acknowledged, one credential: none doubled
    expect(access.body.credentials[0].revokedAt).not.toBeNull();
  }
}, 120_000);
