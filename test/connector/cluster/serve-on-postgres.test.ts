import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { createPool } from '../../../connector/store/postgres/pool';
import { printedDemoPairs } from '../../helpers/connector-http';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../helpers/postgres';

// `sheetgate serve --database-url`: a real process on a real PostgreSQL database, with the CLI
// working on the same database while it serves.

describeWithPostgres('serve --database-url', () => {
  let db: TestDatabase;
  let connector: RunningConnector;

  beforeAll(async () => {
    db = await createTestDatabase();
    connector = await startConnector(await tempDataDir(), ['--database-url', db.url], { ...TEST_ENV, SHEETGATE_COMPRESS_ABOVE_BYTES: '4096' });
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

  /** GET over node:http, where a request may say `Content-Length: 0` (which sends it through the whole stack). */
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = request(`${connector.url}${path}`, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('sends a page of kept texts (bytes from COPY) alike from the hot path and the stack, gzipped when asked', async () => {
    const ann = (await printedDemoPairs(connector.stdout)).get('ann.analyst')!;
    const sent = { [TOKEN_HEADER]: ann.token, [KEY_HEADER]: ann.key, 'X-Request-Id': 'bytes' };
    const path = '/v1/tables/customers?format=standard&limit=200';
    // A kept text changed behind the connector's back: what is served is the kept texts.
    const pool = createPool(db.url, { max: 1 });
    try {
      await pool.query(`UPDATE rows SET json_standard = '{"kept":"é"}' WHERE table_id = 'customers' AND key = (SELECT min(key) FROM rows WHERE table_id = 'customers')`);
    } finally {
      await pool.end();
    }
    const { date: _hot, ...hot } = (await get(path, sent)).headers;
    const plain = await get(path, sent);
    const stack = await get(path, { ...sent, 'Content-Length': '0' });
    const { date: _stack, ...stackHeaders } = stack.headers;
    expect(plain.status).toBe(200);
    expect(stackHeaders).toEqual(hot);
    expect(stack.body.equals(plain.body)).toBe(true);
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.body.length).toBeGreaterThan(4096);
    const page = JSON.parse(plain.body.toString('utf8')) as { rows: unknown[] };
    expect(page.rows[0]).toEqual({ kept: 'é' });
    for (const extra of [{}, { 'Content-Length': '0' }] as Array<Record<string, string>>) {
      const zipped = await get(path, { ...sent, 'Accept-Encoding': 'gzip', ...extra });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('Origin, Accept-Encoding');
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    }
  });

  it('refuses a database URL without SHEETGATE_SECRET, with exit code 2 and one line', async () => {
    const { SHEETGATE_SECRET: _secret, ...env } = TEST_ENV;
    const result = await runCli(['users', 'list', '--database-url', db.url], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('SHEETGATE_SECRET is required with a database URL');
  });
});
