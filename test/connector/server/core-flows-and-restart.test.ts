import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { startConnector, tempDataDir, type RunningConnector } from '../../helpers/connector-process';
import { api, demoPairs, outcome, type Pair } from '../../helpers/connector-http';

let connector: RunningConnector | undefined;
let dir: string | undefined;
afterAll(async () => {
  await connector?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('runs the admin and analyst flows over real HTTP, and a restart keeps everything, revocations included', async () => {
  dir = await tempDataDir();
  connector = await startConnector(dir);
  const demo = demoPairs(connector.stdout());
  const admin = demo.get('sam.admin')!;
  const analyst = demo.get('ann.analyst')!;
  expect(admin && analyst).toBeTruthy();
  let url = connector.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect((await api(url, 'GET', '/healthz')).body).toEqual({ ok: true });

  // Create → authorize → default deny → grant → pull a page.
  const created = await api(url, 'POST', '/admin/users', {
    pair: admin,
    body: { username: 'zoe', email: 'zoe@example.com', kind: 'api', organizations: ['org-northwind'] },
  });
  expect(created.status).toBe(201);
  expect(created.body.apiAccess).toEqual({ authorized: false });
  const zoe = created.body.id as string;
  const on = await api(url, 'PUT', `/admin/users/${zoe}/api-access`, { pair: admin, body: { authorized: true } });
  expect(on.status).toBe(200);
  const p1: Pair & { id: string } = on.body.credential;
  expect(outcome(await api(url, 'GET', '/v1/tables/customers', { pair: p1 }))).toEqual([403, 'no_access']);
  const grants = await api(url, 'PUT', `/admin/users/${zoe}/grants`, { pair: admin, body: { customers: 'standard' } });
  expect(grants.body.grants).toMatchObject({ customers: 'standard', products: 'none' });
  const page = await api(url, 'GET', '/v1/tables/customers?format=standard&limit=7', { pair: p1 });
  expect(page.status).toBe(200);
  expect(page.body.rows).toHaveLength(7);
  expect(page.body.columns.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Code', 'Name', 'Sales Rep']));
  expect(typeof page.body.nextCursor).toBe('string');
  const firstKey = page.body.rows[0].Code as string;
  expect(outcome(await api(url, 'GET', '/v1/tables/customers?format=detail', { pair: p1 }))).toEqual([403, 'tier_not_granted']);

  // A NEW pair on re-authorization; revoking one credential stops it on the next request only.
  const again = await api(url, 'PUT', `/admin/users/${zoe}/api-access`, { pair: admin, body: { authorized: true } });
  const p2: Pair & { id: string } = again.body.credential;
  expect([p2.token, p2.key]).not.toContain(p1.token);
  expect(p2.key).not.toBe(p1.key);
  expect((await api(url, 'DELETE', `/admin/users/${zoe}/credentials/${p1.id}`, { pair: admin })).status).toBe(204);
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: p1 }))).toEqual([401, 'credentials_revoked']);
  expect((await api(url, 'GET', '/v1/me', { pair: p2 })).status).toBe(200);

  // Restart (SIGTERM, then the same directory): data survives, revoked stays revoked, no demo pairs.
  expect(await connector.stop()).toBe(0);
  const logs = [connector.stderr()];
  connector = await startConnector(dir);
  url = connector.url;
  expect(connector.stdout()).not.toContain('X-Api-Key');
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: p1 }))).toEqual([401, 'credentials_revoked']);
  const me = await api(url, 'GET', '/v1/me', { pair: p2 });
  expect(me.status).toBe(200);
  expect(me.body.user.username).toBe('zoe');
  expect((await api(url, 'GET', '/v1/me', { pair: analyst })).status).toBe(200);
  const samePage = await api(url, 'GET', '/v1/tables/customers?format=standard&limit=7', { pair: p2 });
  expect(samePage.body.rows).toEqual(page.body.rows);
  const row = await api(url, 'GET', `/v1/tables/customers/rows/${encodeURIComponent(firstKey)}?format=standard`, { pair: p2 });
  expect(row.status).toBe(200);
  expect(row.body.row).toEqual(page.body.rows[0]);
  const access = await api(url, 'GET', `/admin/users/${zoe}/api-access`, { pair: admin });
  expect(access.body.credentials.map((c: { token: string; revokedAt: string | null }) => [c.token, c.revokedAt !== null])).toEqual(
    expect.arrayContaining([
      [p1.token, true],
      [p2.token, false],
    ]),
  );

  // De-authorize, restart again: still revoked.
  expect((await api(url, 'PUT', `/admin/users/${zoe}/api-access`, { pair: admin, body: { authorized: false } })).body).toEqual({ authorized: false });
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: p2 }))).toEqual([401, 'credentials_revoked']);
  const second = connector;
  expect(await connector.stop()).toBe(0);
  logs.push(second.stderr());
  connector = await startConnector(dir);
  url = connector.url;
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: p2 }))).toEqual([401, 'credentials_revoked']);
  expect((await api(url, 'GET', `/admin/users/${zoe}`, { pair: admin })).body.apiAccess).toEqual({ authorized: false });

  // The logs never carry a key.
  logs.push(connector.stderr());
  expect(logs.join('\n')).toMatch(/"msg":"shutting_down"/);
  for (const key of [admin.key, analyst.key, p1.key, p2.key]) expect(logs.join('\n')).not.toContain(key);
});
