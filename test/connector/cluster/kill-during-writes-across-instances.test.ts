import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, writeBurst } from '../../helpers/connector-http';
import { allUsernames, startCluster, type ConnectorCluster } from '../../helpers/connector-cluster';
import { startConnector, tempDataDir, TEST_ENV } from '../../helpers/connector-process';
import { describeWithPostgres } from '../../helpers/postgres';

// An instance killed with SIGKILL in the middle of a write burst loses nothing it acknowledged, and
// the others keep serving: an acknowledged write is committed in PostgreSQL, not in a process.

describeWithPostgres('kill -9 of one of 3 instances during a write burst', () => {
  let cluster: ConnectorCluster;
  beforeAll(async () => {
    cluster = await startCluster(3, { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' });
  });
  afterAll(async () => cluster?.stop());

  it('keeps every acknowledged write, read back through another instance', async () => {
    const { urls, admin, instances } = cluster;
    const bursts = urls.map((url, instance) => writeBurst(url, admin, `burst${instance}`, 4));
    const [victim, ...survivors] = bursts;
    await victim.until(40);
    const killed = instances[0].kill();
    const acknowledgedByVictim = [...victim.acknowledged]; // every answer received before the kill was sent
    await killed;
    await victim.done;
    // The survivors go on acknowledging writes after the kill.
    const afterKill = survivors.map((burst) => burst.acknowledged.length + 20);
    await Promise.all(survivors.map((burst, i) => burst.until(afterKill[i])));
    await Promise.all(survivors.map((burst) => burst.stop()));

    for (const burst of bursts) expect(burst.refusals).toEqual([]);
    expect(acknowledgedByVictim.length).toBeGreaterThanOrEqual(40);
    for (const [i, burst] of survivors.entries()) expect(burst.acknowledged.length).toBeGreaterThanOrEqual(afterKill[i]);
    const acknowledged = [...acknowledgedByVictim, ...survivors.flatMap((burst) => burst.acknowledged)];
    for (const url of urls.slice(1)) {
      const stored = await allUsernames(url, admin);
      expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    }
  });

  it('starts the killed instance again on the same database, which serves every write', async () => {
    const { urls, admin, instances, db } = cluster;
    const restarted = await startConnector(await tempDataDir(), ['--database-url', db.url], { ...TEST_ENV, SHEETGATE_RATE_LIMIT: '1000000/60' });
    instances.push(restarted); // stopped with the cluster
    expect((await api(restarted.url, 'GET', '/readyz')).body).toEqual({ ready: true });
    expect(await allUsernames(restarted.url, admin)).toEqual(await allUsernames(urls[1], admin));
  });
});
