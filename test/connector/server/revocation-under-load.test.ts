import { performance } from 'node:perf_hooks';
import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { api, demoPairs, type Pair } from '../../helpers/connector-http';

let connector: RunningConnector | undefined;
let dir: string | undefined;
afterAll(async () => {
  await connector?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Sample {
  startedAt: number;
  status: number;
  code?: string;
}

/** `loops` concurrent readers of /v1/tables/customers with one pair, until `stop()`. */
function readers(url: string, pair: Pair, loops: number) {
  const samples: Sample[] = [];
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      const startedAt = performance.now();
      const answer = await api(url, 'GET', '/v1/tables/customers?limit=20', { pair });
      samples.push({ startedAt, status: answer.status, code: answer.body?.error?.code });
    }
  };
  const done = Promise.all(Array.from({ length: loops }, run));
  return {
    samples,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('refuses every request started after a revoke, de-authorize, delete, deactivate, IP change or grant lowering answered, with 8 request loops running', async () => {
  dir = await tempDataDir();
  connector = await startConnector(dir, [], { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' });
  const url = connector.url;
  const admin = demoPairs(connector.stdout()).get('sam.admin')!;

  const patch = (u: string, body: unknown) => api(url, 'PATCH', `/admin/users/${u}`, { pair: admin, body });
  // Each way of taking access away, and what a request started after its answer must get.
  const mechanisms: Array<{ name: string; refusal: string; revoke: (userId: string, credentialId: string) => Promise<number> }> = [
    { name: 'revoke one credential', refusal: '401 credentials_revoked', revoke: async (u, c) => (await api(url, 'DELETE', `/admin/users/${u}/credentials/${c}`, { pair: admin })).status },
    { name: 'de-authorize', refusal: '401 credentials_revoked', revoke: async (u) => (await api(url, 'PUT', `/admin/users/${u}/api-access`, { pair: admin, body: { authorized: false } })).status },
    { name: 'delete the user', refusal: '401 credentials_revoked', revoke: async (u) => (await api(url, 'DELETE', `/admin/users/${u}`, { pair: admin })).status },
    { name: 'deactivate', refusal: '403 user_inactive', revoke: async (u) => (await patch(u, { active: false })).status },
    { name: 'IP change', refusal: '403 ip_not_allowed', revoke: async (u) => (await patch(u, { allowedIps: ['203.0.113.0/24'] })).status },
    { name: 'grant lowered', refusal: '403 no_access', revoke: async (u) => (await api(url, 'PUT', `/admin/users/${u}/grants`, { pair: admin, body: { customers: 'none' } })).status },
  ];
  for (const [i, mechanism] of mechanisms.entries()) {
    const user = await api(url, 'POST', '/admin/users', { pair: admin, body: { username: `load${i}`, email: `load${i}@example.com`, kind: 'api' } });
    await api(url, 'PUT', `/admin/users/${user.body.id}/grants`, { pair: admin, body: { customers: 'basic' } });
    const credential = (await api(url, 'PUT', `/admin/users/${user.body.id}/api-access`, { pair: admin, body: { authorized: true } })).body.credential;

    const load = readers(url, credential, 8);
    await sleep(250);
    const status = await mechanism.revoke(user.body.id, credential.id);
    const answeredAt = performance.now();
    await sleep(300);
    await load.stop();

    expect(status, mechanism.name).toBeLessThan(300);
    const before = load.samples.filter((s) => s.startedAt < answeredAt);
    const after = load.samples.filter((s) => s.startedAt > answeredAt);
    expect(before.filter((s) => s.status === 200).length, mechanism.name).toBeGreaterThan(10);
    expect(after.length, mechanism.name).toBeGreaterThan(20);
    expect(after.filter((s) => s.status === 200).length, mechanism.name).toBe(0);
    expect(new Set(after.map((s) => `${s.status} ${s.code}`)), mechanism.name).toEqual(new Set([mechanism.refusal]));
  }
});
