import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../helpers/postgres';

// `sheetgate serve --database-url`: a real process on a real PostgreSQL database, with the CLI
// working on the same database while it serves.

describeWithPostgres('serve --database-url', () => {
  let db: TestDatabase;
  let connector: RunningConnector;

  beforeAll(async () => {
    db = await createTestDatabase();
    connector = await startConnector(await tempDataDir(), ['--database-url', db.url]);
  });
  afterAll(async () => {
    await connector?.stop();
    await db?.drop();
  });

  it('is ready, seeds the demo once, and takes a bootstrap admin from the CLI while serving', async () => {
    expect(await (await fetch(`${connector.url}/readyz`)).json()).toEqual({ ready: true });
    const made = await runCli(['bootstrap-admin', '--database-url', db.url, '--username', 'root', '--email', 'root@example.com', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const pair = JSON.parse(made.stdout) as { token: string; key: string };
    const headers = { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key };
    const users = await (await fetch(`${connector.url}/admin/users?limit=1000`, { headers })).json();
    expect(users.users.map((user: { username: string }) => user.username)).toContain('ann.analyst');
    const page = await fetch(`${connector.url}/v1/tables/customers?format=standard&limit=5`, { headers });
    expect(page.status).toBe(200);
    expect((await page.json()).rows).toHaveLength(5);
  });

  it('refuses a database URL without SHEETGATE_SECRET, with exit code 2 and one line', async () => {
    const { SHEETGATE_SECRET: _secret, ...env } = TEST_ENV;
    const result = await runCli(['users', 'list', '--database-url', db.url], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('SHEETGATE_SECRET is required with a database URL');
  });
});
