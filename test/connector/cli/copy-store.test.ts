import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, bootstrapAdmin, demoPairs, failureLine, type Pair } from '../../helpers/connector-http';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../helpers/postgres';

// `sheetgate copy-store`: a demo data directory moved into PostgreSQL, then served from there by
// a real `serve --database-url`; its pairs, rows and audit log must be the source's.

const { SHEETGATE_SECRET: _unset, ...NO_SECRET_ENV } = TEST_ENV;
const NEW_SECRET = 'the-database-secret-0123456789abcdefghij';

interface SourceDir {
  dir: string;
  pairs: Map<string, Pair>;
  root: Pair;
  /** Ann's first page of customers, read on the source. */
  page: unknown;
}

/** A demo directory, used once by `serve` (so credentials carry usage), plus a bootstrap admin. */
async function demoDir(env: NodeJS.ProcessEnv): Promise<SourceDir> {
  const dir = await tempDataDir();
  const served = await startConnector(dir, [], env);
  try {
    const pairs = demoPairs(served.stdout());
    const page = await api(served.url, 'GET', '/v1/tables/customers?format=standard&limit=5', { pair: pairs.get('ann.analyst') });
    expect(page.status).toBe(200);
    await served.stop();
    const made = await runCli(['bootstrap-admin', '--data', dir, '--username', 'root', '--email', 'root@example.com', '--json'], env);
    expect(made.code, made.stderr).toBe(0);
    return { dir, pairs, root: JSON.parse(made.stdout) as Pair, page: page.body };
  } catch (error) {
    await served.kill();
    throw error;
  }
}

async function auditFileEntries(dir: string): Promise<Array<{ at: string; action: string; target: string | null }>> {
  const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).split('\n').filter(Boolean);
  return lines.map((line) => JSON.parse(line)).map(({ at, action, target }) => ({ at, action, target }));
}

describeWithPostgres('copy-store', () => {
  let source: SourceDir;
  let db: TestDatabase;
  let other: TestDatabase;
  let third: TestDatabase;
  const running: RunningConnector[] = [];

  beforeAll(async () => {
    [source, db, other, third] = await Promise.all([demoDir(TEST_ENV), createTestDatabase(), createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    for (const connector of running) await connector.stop();
    await db?.drop();
    await other?.drop();
    await third?.drop();
  });

  async function serveDatabase(url: string, env: NodeJS.ProcessEnv, args: string[] = []): Promise<RunningConnector> {
    const connector = await startConnector(await tempDataDir(), ['--database-url', url, ...args], env);
    running.push(connector);
    return connector;
  }

  it('copies a demo directory so that its pairs, rows, usage and audit log work against the database', async () => {
    const copied = await runCli(['copy-store', '--from', source.dir, '--to', db.url]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/^Copied \d+ users, \d+ organizations, \d+ teams, \d+ credentials, \d+ rows and \d+ audit entries/);
    expect(copied.stdout).not.toContain(db.url); // the URL may carry a password

    const connector = await serveDatabase(db.url, TEST_ENV);
    expect(connector.stdout()).not.toContain('Demo credentials'); // not seeded again over the copy

    // Usage came along: Ann used her pair on the source only.
    const users = await api(connector.url, 'GET', '/admin/users?limit=1000', { pair: source.root });
    expect(users.status).toBe(200);
    const ann = users.body.users.find((user: { username: string }) => user.username === 'ann.analyst');
    const access = await api(connector.url, 'GET', `/admin/users/${ann.id}/api-access`, { pair: source.root });
    expect(access.body.credentials[0]).toMatchObject({ lastUsedIp: '127.0.0.1', revokedAt: null });
    expect(access.body.credentials[0].lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    for (const [username, pair] of [...source.pairs, ['root', source.root] as const]) {
      const me = await api(connector.url, 'GET', '/v1/me', { pair });
      expect(me.status, username).toBe(200);
      expect(me.body.user.username).toBe(username);
    }
    const page = await api(connector.url, 'GET', '/v1/tables/customers?format=standard&limit=5', { pair: source.pairs.get('ann.analyst') });
    expect(page.status).toBe(200);
    expect(page.body).toEqual(source.page);

    // Every audit entry, with its time stamp, newest first as on the source.
    const audit = await api(connector.url, 'GET', '/admin/audit?limit=1000', { pair: source.root });
    const entries = audit.body.entries.map(({ at, action, target }: { at: string; action: string; target: string | null }) => ({ at, action, target }));
    const expected = (await auditFileEntries(source.dir)).reverse();
    expect(expected.length).toBeGreaterThan(0);
    expect(entries.slice(-expected.length)).toEqual(expected);
  });

  it('refuses a target that is not empty, with exit code 2', async () => {
    const again = await runCli(['copy-store', '--from', source.dir, '--to', db.url]);
    expect(again.code).toBe(2);
    expect(failureLine(again)).toContain('The target store is not empty');
  });

  it('refuses a wrong secret, and a missing one with where to find it, writing nothing', async () => {
    const wrong = await runCli(['copy-store', '--from', source.dir, '--to', other.url], { ...TEST_ENV, SHEETGATE_SECRET: NEW_SECRET });
    expect(wrong.code).toBe(2);
    expect(failureLine(wrong)).toMatch(/SHEETGATE_SECRET does not open the keys of .*Nothing was written\./);

    const missing = await runCli(['copy-store', '--from', source.dir, '--to', other.url], NO_SECRET_ENV);
    expect(missing.code).toBe(2);
    const line = failureLine(missing);
    expect(line).toContain('SHEETGATE_SECRET is required');
    expect(line).toContain(`${source.dir}/data-dir-id`);
    expect(line).toContain('--secret-file');
  });

  it('seals the keys of a directory with its own secret file again under SHEETGATE_SECRET', async () => {
    const fileSecret = await demoDir(NO_SECRET_ENV);
    const id = (await readFile(join(fileSecret.dir, 'data-dir-id'), 'utf8')).trim();
    const secretFile = join(TEST_ENV.XDG_CONFIG_HOME, 'sheetgate', 'secrets', `${id}.secret`);

    const missing = await runCli(['copy-store', '--from', fileSecret.dir, '--to', other.url], NO_SECRET_ENV);
    expect(missing.code).toBe(2);
    expect(failureLine(missing)).toContain(`sealed under its secret file ${secretFile}`);

    // The database is still empty after the refusals above: this copy is accepted.
    const env = { ...TEST_ENV, SHEETGATE_SECRET: NEW_SECRET };
    const copied = await runCli(['copy-store', '--from', fileSecret.dir, '--to', other.url], env);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toContain('sealed again under SHEETGATE_SECRET');

    const connector = await serveDatabase(other.url, env);
    for (const pair of [fileSecret.root, fileSecret.pairs.get('ann.analyst')]) {
      expect((await api(connector.url, 'GET', '/v1/me', { pair })).status).toBe(200);
    }
    // An admin's "copy key" opens the re-sealed ciphertext to the same key.
    const users = await api(connector.url, 'GET', '/admin/users?limit=1000', { pair: fileSecret.root });
    const ann = users.body.users.find((user: { username: string }) => user.username === 'ann.analyst');
    const access = await api(connector.url, 'GET', `/admin/users/${ann.id}/api-access`, { pair: fileSecret.root });
    const key = await api(connector.url, 'GET', `/admin/users/${ann.id}/credentials/${access.body.credentials[0].id}/key`, { pair: fileSecret.root });
    expect(key.body).toEqual(fileSecret.pairs.get('ann.analyst'));
  });

  it("moves a directory's own table definitions: the copy says to pass --definitions, and connectors given them serve the table", async () => {
    const withTable = await demoDir(TEST_ENV);
    const definitions = join(withTable.dir, 'definitions');
    await mkdir(definitions);
    const things = { id: 'things', title: 'Things', section: 'Misc', key: 'Id', scope: { by: 'none' }, fields: [{ name: 'Id', type: 'string', format: 'basic' }] };
    await writeFile(join(definitions, 'things.json'), JSON.stringify(things));
    await writeFile(join(withTable.dir, 'things-rows.json'), JSON.stringify([{ Id: 'a' }, { Id: 'b' }]));
    const imported = await runCli(['import', 'things', join(withTable.dir, 'things-rows.json'), '--data', withTable.dir]);
    expect(imported.code, imported.stderr).toBe(0);

    const copied = await runCli(['copy-store', '--from', withTable.dir, '--to', third.url]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stderr).toContain('start every connector on the database with --definitions');

    const root = withTable.root;
    const users = await api((await serveDatabase(third.url, TEST_ENV)).url, 'GET', '/admin/users?q=root', { pair: root });
    const rootId = users.body.users[0].id as string;
    const without = running[running.length - 1];
    expect((await api(without.url, 'GET', '/v1/tables/things', { pair: root })).status).toBe(404);

    const given = await serveDatabase(third.url, TEST_ENV, ['--definitions', definitions]);
    expect((await api(given.url, 'PUT', `/admin/users/${rootId}/grants`, { pair: root, body: { things: 'basic' } })).status).toBe(200);
    const page = await api(given.url, 'GET', '/v1/tables/things?format=basic', { pair: root });
    expect(page.status).toBe(200);
    expect(page.body.rows).toEqual([{ Id: 'a' }, { Id: 'b' }]);

    // Only a database takes them: a data directory has its own folder.
    const refused = await runCli(['users', 'list', '--data', withTable.dir, '--definitions', definitions]);
    expect(refused.code).toBe(2);
    expect(failureLine(refused)).toContain('--definitions is for a database');
  });
});
