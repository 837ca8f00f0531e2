import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, type Pair } from '../../helpers/connector-http';
import { apiUser, startCluster, waitFor, type ConnectorCluster } from '../../helpers/connector-cluster';
import { TEST_ENV } from '../../helpers/connector-process';
import { describeWithPostgres } from '../../helpers/postgres';

// Contract v1.1, "Running on PostgreSQL": access taken away through one instance is gone on every
// instance at the very next request, with no cache window, while 8 request loops keep reading.

const LOOPS = 8;

interface Sample {
  instance: number;
  startedAt: number;
  status: number;
  code?: string;
  /** Rows of a 200 page. */
  rows?: number;
}

/** `LOOPS` concurrent readers with one pair, loop i on instance i mod the instance count. */
function readers(urls: string[], pair: Pair) {
  const samples: Sample[] = [];
  let stopped = false;
  const run = async (loop: number) => {
    const instance = loop % urls.length;
    while (!stopped) {
      const startedAt = performance.now();
      const answer = await api(urls[instance], 'GET', '/v1/tables/customers?limit=20', { pair });
      samples.push({ instance, startedAt, status: answer.status, code: answer.body?.error?.code, rows: answer.body?.rows?.length });
    }
  };
  const done = Promise.all(Array.from({ length: LOOPS }, (_, loop) => run(loop)));
  return {
    samples,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

describeWithPostgres('removing access on one instance, with 8 request loops over 3 instances', () => {
  let cluster: ConnectorCluster;
  beforeAll(async () => {
    cluster = await startCluster(3, { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' });
  });
  afterAll(async () => cluster?.stop());

  // Each way of taking access away, the instance that answers it, and what a request started after
  // its answer must get on every instance.
  const mechanisms: Array<{ name: string; refusal: string; remove: (url: string, admin: Pair, userId: string, credentialId: string) => Promise<number> }> = [
    { name: 'revoke the credential', refusal: '401 credentials_revoked', remove: async (url, admin, u, c) => (await api(url, 'DELETE', `/admin/users/${u}/credentials/${c}`, { pair: admin })).status },
    { name: 'de-authorize the user', refusal: '401 credentials_revoked', remove: async (url, admin, u) => (await api(url, 'PUT', `/admin/users/${u}/api-access`, { pair: admin, body: { authorized: false } })).status },
    { name: 'regenerate the key', refusal: '401 invalid_credentials', remove: async (url, admin, u, c) => (await api(url, 'POST', `/admin/users/${u}/credentials/${c}/regenerate`, { pair: admin })).status },
    { name: 'deactivate the user', refusal: '403 user_inactive', remove: async (url, admin, u) => (await api(url, 'PATCH', `/admin/users/${u}`, { pair: admin, body: { active: false } })).status },
    { name: 'change the allowed IPs to exclude the caller', refusal: '403 ip_not_allowed', remove: async (url, admin, u) => (await api(url, 'PATCH', `/admin/users/${u}`, { pair: admin, body: { allowedIps: ['203.0.113.0/24'] } })).status },
    { name: 'lower the grant to none', refusal: '403 no_access', remove: async (url, admin, u) => (await api(url, 'PUT', `/admin/users/${u}/grants`, { pair: admin, body: { customers: 'none' } })).status },
    { name: 'delete the user', refusal: '401 credentials_revoked', remove: async (url, admin, u) => (await api(url, 'DELETE', `/admin/users/${u}`, { pair: admin })).status },
  ];

  /**
   * Reads with `pair` on every instance while `change` runs on one; the samples of reads started
   * after its answer, once every instance has served `warm` reads first (so any cache it might keep
   * would be warm) and then at least 10 reads after the answer.
   */
  async function readsAfter(pair: Pair, warm: (s: Sample) => boolean, change: () => Promise<number>, what: string): Promise<Sample[]> {
    const { urls } = cluster;
    const load = readers(urls, pair);
    const onEach = (predicate: (s: Sample) => boolean, count: number) => () =>
      urls.every((_, instance) => load.samples.filter((s) => s.instance === instance && predicate(s)).length >= count);
    let answeredAt = Number.POSITIVE_INFINITY;
    try {
      await waitFor(onEach(warm, 5), 'reads served on every instance');
      const status = await change();
      answeredAt = performance.now();
      expect(status, what).toBeLessThan(300);
      await waitFor(onEach((s) => s.startedAt > answeredAt, 10), 'reads after the answer on every instance');
    } finally {
      await load.stop();
    }
    const after = load.samples.filter((s) => s.startedAt > answeredAt);
    // The instances that did not answer the change were asked too, not only the one that did.
    for (const instance of urls.keys()) expect(after.filter((s) => s.instance === instance).length).toBeGreaterThanOrEqual(10);
    return after;
  }

  for (const [i, mechanism] of mechanisms.entries()) {
    it(`${mechanism.name}: refused on every instance from the next request on`, async () => {
      const { urls, admin } = cluster;
      const user = await apiUser(urls[(i + 1) % urls.length], admin, `cluster-load${i}`);
      const answering = urls[i % urls.length];
      const after = await readsAfter(user.credential, (s) => s.status === 200, () => mechanism.remove(answering, admin, user.id, user.credential.id), mechanism.name);
      expect(after.filter((s) => s.status === 200)).toEqual([]);
      expect(new Set(after.map((s) => `${s.status} ${s.code}`))).toEqual(new Set([mechanism.refusal]));
    });
  }

  // A page's organizations (the user's memberships and their clients) are read with the
  // credential, in one statement: a membership removed on one instance leaves none of its rows
  // in the next page on any instance.
  it('remove the user from its organization: none of its rows on any instance from the next page on', async () => {
    const { urls, admin } = cluster;
    const user = await apiUser(urls[1], admin, 'cluster-member');
    const joined = await api(urls[2], 'PATCH', `/admin/users/${user.id}`, { pair: admin, body: { organizations: ['org-northwind'] } });
    expect(joined.status).toBe(200);
    const leave = async () => (await api(urls[0], 'PATCH', `/admin/users/${user.id}`, { pair: admin, body: { organizations: [] } })).status;
    const after = await readsAfter(user.credential, (s) => s.status === 200 && (s.rows ?? 0) > 0, leave, 'leave the organization');
    expect(after.filter((s) => s.status !== 200 || s.rows !== 0)).toEqual([]);
  });
});
