import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, outcome } from '../../helpers/connector-http';
import { allUsernames, startCluster, type ConnectorCluster } from '../../helpers/connector-cluster';
import { TEST_ENV } from '../../helpers/connector-process';
import { describeWithPostgres } from '../../helpers/postgres';

// Contract v1.1, "Running on PostgreSQL": writes made at once on different instances all land,
// and username and e-mail stay unique (one 201, the others 409 conflict).

const CREATIONS = 300;
const RACES = 5;

describeWithPostgres('user creation at once on 3 instances', () => {
  let cluster: ConnectorCluster;
  beforeAll(async () => {
    cluster = await startCluster(3, { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' });
  });
  afterAll(async () => cluster?.stop());

  const create = (instance: number, username: string, email = `${username}@example.com`) =>
    api(cluster.urls[instance % cluster.urls.length], 'POST', '/admin/users', {
      pair: cluster.admin,
      body: { username, email, kind: 'api' },
    });

  it(`keeps all of ${CREATIONS} creations sent at once, spread over the instances`, async () => {
    const names = Array.from({ length: CREATIONS }, (_, i) => `bulk-${i}`);
    const answers = await Promise.all(names.map((name, i) => create(i, name)));
    expect(answers.filter((answer) => answer.status !== 201).map(outcome)).toEqual([]);
    // Every instance reads all of them back, and the audit holds one entry per creation.
    for (const url of cluster.urls) {
      const stored = await allUsernames(url, cluster.admin);
      expect(names.filter((name) => !stored.has(name))).toEqual([]);
    }
    const audit = await api(cluster.urls[0], 'GET', '/admin/audit?action=user.create&limit=10000', { pair: cluster.admin });
    const audited = new Set((audit.body.entries as Array<{ target: string }>).map((entry) => entry.target));
    expect(names.filter((name) => !audited.has(name))).toEqual([]);
  });

  it(`answers the same username sent to 3 instances at once with one 201 and two 409s, ${RACES} times`, async () => {
    for (let round = 0; round < RACES; round++) {
      const answers = await Promise.all(cluster.urls.map((_, instance) => create(instance, `race-${round}`, `race-${round}-${instance}@example.com`)));
      expect(answers.map(outcome).sort(), `round ${round}`).toEqual([[201, undefined], [409, 'conflict'], [409, 'conflict']]);
    }
  });

  it(`answers the same e-mail sent to 3 instances at once with one 201 and two 409s, ${RACES} times`, async () => {
    for (let round = 0; round < RACES; round++) {
      const answers = await Promise.all(cluster.urls.map((_, instance) => create(instance, `mail-${round}-${instance}`, `Mail-${round}@example.com`)));
      expect(answers.map(outcome).sort(), `round ${round}`).toEqual([[201, undefined], [409, 'conflict'], [409, 'conflict']]);
    }
    const stored = await allUsernames(cluster.urls[1], cluster.admin);
    expect([...stored].filter((name) => name.startsWith('mail-'))).toHaveLength(RACES);
  });
});
