import { rm } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { startConnector, tempDataDir, type RunningConnector } from '../../helpers/connector-process';
import { api, bootstrapAdmin, cliOk, outcome, type Pair } from '../../helpers/connector-http';

let connector: RunningConnector | undefined;
let dir: string | undefined;
afterAll(async () => {
  await connector?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `authorize --json` prints the route's answer: the new credential, key included. */
async function authorizeJson(data: string, user: string): Promise<Pair> {
  const answer = JSON.parse(await cliOk(['authorize', user, '--data', data, '--json']));
  expect(Object.keys(answer).sort()).toEqual(['authorized', 'credential']);
  expect(Object.keys(answer.credential).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'key', 'name', 'token']);
  return { token: answer.credential.token, key: answer.credential.key };
}

it('manages users, grants, settings and access from the command line, as a server then enforces', { timeout: 45_000 }, async () => {
  dir = await tempDataDir();
  const data = dir;
  const admin = await bootstrapAdmin(data);

  // users create / grant / settings, then authorize twice: a NEW pair each time.
  const created = JSON.parse(
    await cliOk(['users', 'create', '--data', data, '--username', 'alice', '--email', 'alice@example.com', '--name', 'Alice', '--kind', 'api', '--org', 'org-northwind', '--json']),
  );
  expect(created).toMatchObject({ username: 'alice', kind: 'api', roles: ['member'], organizations: ['org-northwind'], apiAccess: { authorized: false } });
  const granted = await cliOk(['users', 'grant', 'alice', 'customers=standard', 'products=basic', '--data', data]);
  expect(granted.trim().split('\n').sort()).toEqual(['campaigns\tnone', 'customers\tstandard', 'products\tbasic', 'stock-levels\tnone']);
  expect(await cliOk(['users', 'settings', 'alice@example.com', '--warehouse', 'MAIN', '--data', data])).toBe('warehouse\tMAIN\npriceCustomer\t\n');
  expect(JSON.parse(await cliOk(['users', 'settings', 'alice', '--price-customer', 'C001', '--json', '--data', data]))).toEqual({
    settings: { warehouse: 'MAIN', priceCustomer: 'C001' },
  });
  expect(JSON.parse(await cliOk(['users', 'grant', 'alice', 'customers=standard', '--json', '--data', data])).grants).toMatchObject({ customers: 'standard', products: 'basic' });
  const shown = await cliOk(['users', 'show', 'alice', '--data', data]);
  expect(shown).toMatch(/^E-mail: +alice@example\.com$/m);
  expect(shown).toMatch(/^Organizations: +org-northwind$/m);
  expect(shown).toMatch(/^Prices for customer: +C001$/m);
  const first = await authorizeJson(data, 'alice');
  const second = await authorizeJson(data, created.id);
  expect(second.token).not.toBe(first.token);
  expect(second.key).not.toBe(first.key);
  const bot = await authorizeJson(data, 'feed.bot');

  connector = await startConnector(data);
  let url = connector.url;
  for (const pair of [first, second]) {
    const me = await api(url, 'GET', '/v1/me', { pair });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ username: 'alice', kind: 'api' });
  }
  const tables = await api(url, 'GET', '/v1/tables', { pair: first });
  expect(tables.body.tables.map((t: { id: string; maxFormat: string }) => [t.id, t.maxFormat]).sort()).toEqual([
    ['customers', 'standard'],
    ['products', 'basic'],
  ]);
  const page = await api(url, 'GET', '/v1/tables/customers?format=standard&limit=5', { pair: first });
  expect(page.status).toBe(200);
  expect(page.body.rows.length).toBeGreaterThan(0);
  expect(outcome(await api(url, 'GET', '/v1/tables/customers?format=detail', { pair: first }))).toEqual([403, 'tier_not_granted']);
  expect(outcome(await api(url, 'GET', '/v1/tables/stock-levels', { pair: first }))).toEqual([403, 'no_access']);
  const stored = await api(url, 'GET', `/admin/users/${created.id}`, { pair: admin });
  expect(stored.body).toMatchObject({ settings: { warehouse: 'MAIN' }, grants: { customers: 'standard', products: 'basic' }, apiAccess: { authorized: true } });
  expect((await api(url, 'GET', '/v1/me', { pair: bot })).status).toBe(200);
  // The demo analyst's pair, through the admin's "copy key".
  const users = (await api(url, 'GET', '/admin/users', { pair: admin })).body.users as Array<{ id: string; username: string }>;
  const ann = users.find((u) => u.username === 'ann.analyst')!;
  const annAccess = await api(url, 'GET', `/admin/users/${ann.id}/api-access`, { pair: admin });
  const annPair = (await api(url, 'GET', `/admin/users/${ann.id}/credentials/${annAccess.body.credentials[0].id}/key`, { pair: admin })).body as Pair;
  expect((await api(url, 'GET', '/v1/me', { pair: annPair })).status).toBe(200);
  await connector.stop();
  connector = undefined;

  // revoke, authorize again, deactivate, delete: a server started afterwards enforces each.
  expect(await cliOk(['revoke', 'alice', '--data', data])).toContain('"alice"');
  const third = await authorizeJson(data, 'alice');
  expect([first.token, second.token]).not.toContain(third.token);
  expect(await cliOk(['users', 'deactivate', 'ann.analyst', '--data', data])).toContain('deactivated');
  expect(await cliOk(['users', 'delete', 'feed.bot', '--data', data])).toContain('Deleted "feed.bot"');
  const listing = (await cliOk(['users', 'list', '--data', data])).trim().split('\n').map((line) => line.split('\t'));
  expect(listing[0]).toEqual(['USERNAME', 'E-MAIL', 'ROLES', 'STATUS', 'API', 'ID']);
  const row = (name: string) => listing.find((columns) => columns[0] === name);
  expect(row('alice')?.slice(0, 5)).toEqual(['alice', 'alice@example.com', 'member', 'active', 'api on']);
  expect(row('ann.analyst')?.[3]).toBe('inactive');
  expect(row('feed.bot')).toBeUndefined();
  expect(row('root')?.[2]).toBe('system-admin');

  connector = await startConnector(data);
  url = connector.url;
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: first }))).toEqual([401, 'credentials_revoked']);
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: second }))).toEqual([401, 'credentials_revoked']);
  expect((await api(url, 'GET', '/v1/tables/customers?format=standard', { pair: third })).status).toBe(200);
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: annPair }))).toEqual([403, 'user_inactive']);
  expect(outcome(await api(url, 'GET', '/v1/me', { pair: bot }))).toEqual([401, 'credentials_revoked']);
  const audit = await api(url, 'GET', '/admin/audit?limit=50', { pair: admin });
  const actions = audit.body.entries as Array<{ action: string; target: string; actor: string }>;
  expect(JSON.stringify(actions)).not.toContain(third.key);
  expect(actions.some((e) => e.action === 'api-access.deauthorize' && e.target === 'alice' && e.actor === 'cli')).toBe(true);
  expect(actions.some((e) => e.action === 'user.delete' && e.target === 'feed.bot')).toBe(true);
});
