import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, type RunningConnector } from '../../helpers/connector-process';
import { api, bootstrapAdmin, cliOk, failureLine, outcome } from '../../helpers/connector-http';

const running: RunningConnector[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const connector of running.splice(0)) await connector.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function newDir(): Promise<string> {
  const dir = await tempDataDir();
  dirs.push(dir);
  return dir;
}

async function start(dir: string, args: string[] = []): Promise<RunningConnector> {
  const connector = await startConnector(dir, args);
  running.push(connector);
  return connector;
}

async function rowCount(dir: string, table: string): Promise<number> {
  return JSON.parse(await readFile(join(dir, 'tables', `${table}.json`), 'utf8')).rows.length;
}

it('initializes a new directory exactly as serve would, then prints a working system-admin pair as JSON', async () => {
  const viaServe = await newDir();
  const served = await start(viaServe);
  expect(served.stdout()).toContain('Demo credentials');
  await served.stop();
  running.pop();

  // A directory that does not exist yet: bootstrap-admin creates it, and says so on stderr.
  const viaBootstrap = join(await newDir(), 'new');
  const result = await runCli(['bootstrap-admin', '--data', viaBootstrap, '--username', 'root', '--email', 'root@example.com', '--json']);
  expect(result.code).toBe(0);
  expect(result.stdout.endsWith('\n')).toBe(true);
  expect(result.stdout.trim().split('\n')).toHaveLength(1); // nothing but the JSON on stdout
  expect(result.stderr).toBe(`Created the data directory ${viaBootstrap}.\n`);
  const pair = JSON.parse(result.stdout);
  expect(Object.keys(pair).sort()).toEqual(['key', 'token']);
  expect(pair.token).toMatch(/^sgt_/);
  expect(pair.key).toMatch(/^sgk_/);

  // Same demo users, organizations, teams and rows as a directory that serve initialized.
  const usersOf = async (dir: string) =>
    (JSON.parse(await readFile(join(dir, 'security.json'), 'utf8')).users as Array<{ username: string; roles: string[]; grants: object; settings: object }>)
      .map(({ username, roles, grants, settings }) => ({ username, roles, grants, settings }))
      .filter((user) => user.username !== 'root');
  expect(await usersOf(viaBootstrap)).toEqual(await usersOf(viaServe));
  for (const table of ['customers', 'products', 'stock-levels', 'campaigns']) {
    const count = await rowCount(viaBootstrap, table);
    expect(count, table).toBeGreaterThan(0);
    expect(count, table).toBe(await rowCount(viaServe, table));
  }
  const orgs = async (dir: string) => JSON.parse(await readFile(join(dir, 'security.json'), 'utf8')).organizations.map((o: { id: string }) => o.id).sort();
  expect(await orgs(viaBootstrap)).toEqual(await orgs(viaServe));

  // The directory is initialized: serve seeds nothing more and prints no demo pairs.
  const connector = await start(viaBootstrap);
  expect(connector.stdout()).not.toContain('Demo credentials');
  const me = await api(connector.url, 'GET', '/v1/me', { pair });
  expect(me.status).toBe(200);
  expect(me.body.user).toMatchObject({ username: 'root', roles: ['system-admin'] });
  const users = await api(connector.url, 'GET', '/admin/users', { pair });
  expect(users.status).toBe(200);
  expect(users.body.users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['root', 'sam.admin', 'ann.analyst']));
  const customers = await api(connector.url, 'GET', '/admin/tables', { pair });
  expect(customers.status).toBe(200);
});

it('refuses while a server holds the directory, with one clear line, and loses nothing', async () => {
  const dir = await newDir();
  const first = await bootstrapAdmin(dir, 'root');
  const connector = await start(dir);
  const created = await api(connector.url, 'POST', '/admin/users', { pair: first, body: { username: 'during', email: 'during@example.com', kind: 'api' } });
  expect(created.status).toBe(201);

  const refused = await runCli(['bootstrap-admin', '--data', dir, '--username', 'second', '--email', 'second@example.com', '--json']);
  const line = failureLine(refused);
  expect(line).toContain(`in use by another Sheetgate process (pid ${connector.process.pid})`);
  expect(refused.stdout).toBe('');

  // The server is unharmed and keeps serving; after it stops, everything it acknowledged is there.
  expect((await api(connector.url, 'GET', '/v1/me', { pair: first })).status).toBe(200);
  await connector.stop();
  running.pop();
  const listed = JSON.parse(await cliOk(['users', 'list', '--data', dir, '--json'])) as { users: Array<{ username: string }>; nextCursor: null };
  expect(listed.nextCursor).toBeNull();
  const names = listed.users.map((u) => u.username);
  expect(names).toEqual(expect.arrayContaining(['root', 'during']));
  expect(names).not.toContain('second');
});

it('refuses a second admin with a taken username, one line, and keeps the first pair working', async () => {
  const dir = await newDir();
  const pair = await bootstrapAdmin(dir, 'root');
  const again = await runCli(['bootstrap-admin', '--data', dir, '--username', 'root', '--email', 'other@example.com']);
  expect(failureLine(again)).toMatch(/"root" is already taken/);
  const connector = await start(dir);
  expect(outcome(await api(connector.url, 'GET', '/v1/me', { pair }))[0]).toBe(200);
});
