import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { KeyVault } from '../../../connector/credentials/vault';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { filesUnder } from '../../helpers/data-dir';
import { rawRequest } from '../../helpers/raw-http';

// After a full workflow against a real `sheetgate serve` process (authorize, issue, copy key,
// regenerate, revoke, import, refused requests, errors, a restart), no key appears in the data
// directory, the server's stdout and stderr, the audit output, any error body or /openapi.json;
// nor does a key's HMAC digest or ciphertext anywhere but security.json.
// The first start prints the demo pairs on stdout BY DESIGN: exactly those lines are set aside.

let connector: RunningConnector | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await connector?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Pair = { token: string; key: string };

/** The demo block of the first start's stdout: the pairs, and stdout without exactly those lines. */
function splitDemoBlock(stdout: string): { pairs: Pair[]; rest: string } {
  const lines = stdout.split('\n');
  const pairs: Pair[] = [];
  const rest: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const token = /^ {4}X-Api-Token: (sgt_\w+)$/.exec(lines[i]);
    const key = /^ {4}X-Api-Key: {3}(sgk_\w+)$/.exec(lines[i + 1] ?? '');
    if (token && key) {
      pairs.push({ token: token[1], key: key[1] });
      i++;
    } else {
      rest.push(lines[i]);
    }
  }
  return { pairs, rest: rest.join('\n') };
}

it('leaks no key, digest or ciphertext anywhere after a full workflow on a real server', async () => {
  dataDir = await tempDataDir();
  connector = await startConnector(dataDir);
  const firstStart = splitDemoBlock(connector.stdout());
  expect(firstStart.pairs).toHaveLength(2); // sam.admin and ann.analyst, shown once by design
  const [admin, analyst] = firstStart.pairs;
  const keys: string[] = [admin.key, analyst.key];
  const errorBodies: string[] = [];
  let base = connector.url;

  const call = async (method: string, path: string, options: { pair?: Pair; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.pair) Object.assign(headers, { 'X-Api-Token': options.pair.token, 'X-Api-Key': options.pair.key });
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) });
    const text = await response.text();
    if (response.status >= 400) errorBodies.push(text);
    return { status: response.status, json: text ? JSON.parse(text) : null };
  };

  // Create, authorize, issue, copy, regenerate, use.
  const user = (await call('POST', '/admin/users', { pair: admin, body: { username: 'dana', email: 'dana@example.com', kind: 'api', organizations: ['org-northwind'] } })).json;
  expect(user.id).toBeTruthy();
  await call('PUT', `/admin/users/${user.id}/grants`, { pair: admin, body: { customers: 'expanded' } });
  const first = (await call('PUT', `/admin/users/${user.id}/api-access`, { pair: admin, body: { authorized: true } })).json.credential;
  const second = (await call('POST', `/admin/users/${user.id}/credentials`, { pair: admin, body: { name: 'laptop', expiresInSeconds: 3600 } })).json;
  const copied = (await call('GET', `/admin/users/${user.id}/credentials/${first.id}/key`, { pair: admin })).json;
  expect(copied.key).toBe(first.key);
  const regenerated = (await call('POST', `/admin/users/${user.id}/credentials/${first.id}/regenerate`, { pair: admin })).json;
  keys.push(first.key, second.key, regenerated.key);
  expect((await call('GET', '/v1/tables/customers?format=expanded&limit=5', { pair: regenerated })).status).toBe(200);
  expect((await call('GET', '/v1/me', { pair: second })).status).toBe(200);

  // Refused requests and errors of every kind, keys pasted where they do not belong included.
  expect((await call('GET', '/v1/me', { pair: first })).status).toBe(401); // the old key after regenerate
  expect((await call('GET', '/v1/me', { pair: { token: first.token, key: second.key } })).status).toBe(401);
  expect((await call('GET', `/v1/me?key=${second.key}`)).status).toBe(400);
  expect((await call('GET', `/v1/me?api_key=${second.key}&token=${second.token}`)).status).toBe(400);
  expect((await call('GET', `/v1/tables/${second.key}`, { pair: second })).status).toBe(404);
  expect((await call('GET', `/${second.key}`)).status).toBe(404);
  expect((await call('DELETE', `/v1/me/${second.key}`, { pair: second })).status).toBe(404);
  expect((await call('GET', '/v1/me', { pair: second, headers: { 'X-Request-Id': second.key } })).status).toBe(200);
  expect((await call('GET', '/admin/users', { pair: second })).status).toBe(403);
  expect((await call('POST', '/admin/users', { pair: admin, body: `{"username": "${second.key}"` })).status).toBe(400);
  expect((await call('POST', '/admin/users', { pair: admin, body: { username: 'x', email: 'x@example.com', kind: 'api', note: second.key } })).status).toBe(400);
  expect((await call('PATCH', `/admin/users/${user.id}`, { pair: admin, body: { description: second.key.repeat(40) } })).status).toBe(400);
  expect((await call('PUT', `/admin/users/${user.id}/grants`, { pair: admin, body: { [second.key]: 'basic' } })).status).toBe(400);
  expect((await call('POST', '/admin/tables/customers/rows', { pair: admin, body: { rows: [{ Code: 'K1', organization: second.key }] } })).status).toBe(400);
  expect((await call('GET', '/admin/users', { headers: { 'X-Admin-Key': second.key } })).status).toBe(401);
  const badHost = await rawRequest(base, `GET /v1/me HTTP/1.1\r\nHost: ${second.key} x\r\nX-Api-Token: ${second.token}\r\nX-Api-Key: ${second.key}\r\nConnection: close\r\n\r\n`);
  errorBodies.push(badHost.body);
  const garbage = await rawRequest(base, `GET /v1/me?${second.key} HTTP/9\r\n\r\n`);
  errorBodies.push(garbage.body);

  // Import through the API, then revoke one credential.
  expect((await call('POST', '/admin/tables/customers/rows', { pair: admin, body: { rows: [{ Code: 'SEC1', Name: 'Imported', organization: 'org-northwind' }] } })).status).toBe(200);
  expect((await call('DELETE', `/admin/users/${user.id}/credentials/${second.id}`, { pair: admin })).status).toBe(204);
  expect((await call('GET', '/v1/me', { pair: second })).status).toBe(401);

  // Restart around CLI work (the CLI needs the directory to itself): import a file, authorize.
  await connector.stop();
  const logsBeforeRestart = { stdout: firstStart.rest, stderr: connector.stderr() };
  const rowsFile = join(dataDir, '..', `sheetgate-secrets-rows-${process.pid}.json`);
  await writeFile(rowsFile, JSON.stringify([{ Code: 'SEC2', Name: 'From a file', organization: 'org-northwind' }]));
  expect((await runCli(['import', 'customers', rowsFile, '--data', dataDir])).code).toBe(0);
  await rm(rowsFile, { force: true });
  const cliAuthorize = await runCli(['authorize', 'dana', '--data', dataDir, '--json']);
  expect(cliAuthorize.code).toBe(0);
  // The route's answer, printed once by design, to whoever ran the command.
  const cliPair: Pair = JSON.parse(cliAuthorize.stdout).credential;
  keys.push(cliPair.key);
  expect(cliAuthorize.stderr).toBe('');

  connector = await startConnector(dataDir);
  base = connector.url;
  expect(splitDemoBlock(connector.stdout()).pairs).toEqual([]); // demo pairs only ever on the first start
  expect((await call('GET', '/v1/me', { pair: cliPair })).status).toBe(200);
  expect((await call('GET', '/v1/me', { pair: second })).status).toBe(401); // revoked stays revoked
  expect((await call('PUT', `/admin/users/${user.id}/api-access`, { pair: admin, body: { authorized: false } })).status).toBe(200);
  expect((await call('GET', '/v1/me', { pair: cliPair })).status).toBe(401);
  expect((await call('DELETE', `/admin/users/${user.id}`, { pair: admin })).status).toBe(204);
  expect((await call('GET', '/v1/me', { pair: regenerated })).status).toBe(401);

  const audit = await call('GET', '/admin/audit?limit=10000', { pair: admin });
  expect(audit.status).toBe(200);
  const auditText = JSON.stringify(audit.json);
  for (const action of ['api-access.authorize', 'credential.issue', 'credential.copy-key', 'credential.regenerate', 'credential.revoke', 'table.rows.upsert', 'api-access.deauthorize', 'user.delete']) {
    expect(auditText).toContain(action);
  }
  const openapi = await (await fetch(`${base}/openapi.json`)).text();
  const docs = await (await fetch(`${base}/docs`)).text();
  await connector.stop();
  const logs = {
    stdout: `${logsBeforeRestart.stdout}\n${connector.stdout()}`,
    stderr: `${logsBeforeRestart.stderr}\n${connector.stderr()}`,
  };
  connector = undefined;

  // What a leak would look like: the key itself, its random body, its digest, its ciphertext.
  const vault = new KeyVault(Buffer.from(TEST_ENV.SHEETGATE_SECRET as string, 'utf8'));
  const security = JSON.parse(await readFile(join(dataDir, 'security.json'), 'utf8'));
  const digests = keys.map((key) => vault.digest(key));
  const ciphertexts: string[] = security.credentials.map((c: { keyCiphertext: string }) => c.keyCiphertext);
  expect(digests.filter((digest) => security.credentials.some((c: { keyDigest: string }) => c.keyDigest === digest)).length).toBeGreaterThan(0);

  const leaks: string[] = [];
  const scan = (where: string, text: string, storedSecretsAllowed = false) => {
    for (const key of keys) {
      const at = text.includes(key) ? text.indexOf(key) : text.indexOf(key.slice(4));
      if (at >= 0) leaks.push(`${where}: a key in …${text.slice(Math.max(0, at - 100), at).replace(/\s+/g, ' ')}[KEY]`);
    }
    if (!storedSecretsAllowed) {
      for (const digest of digests) if (text.includes(digest)) leaks.push(`${where}: a key digest`);
      for (const ciphertext of ciphertexts) if (text.includes(ciphertext.split('.').pop() as string)) leaks.push(`${where}: a key ciphertext`);
      if (/keyDigest|keyCiphertext/.test(text)) leaks.push(`${where}: a digest or ciphertext field`);
    }
  };
  const files = await filesUnder(dataDir);
  expect(files).toEqual(expect.arrayContaining(['security.json', 'audit.jsonl', 'tables/customers.json']));
  for (const file of files) scan(`data/${file}`, (await readFile(join(dataDir, file))).toString('latin1'), file === 'security.json');
  // The scan of stderr means something only if the access log reached it, to the last request.
  expect(logs.stderr.match(/"msg":"request"/g)?.length ?? 0).toBeGreaterThan(30);
  expect(logs.stderr).toContain('"path":"/docs"');
  scan('stdout', logs.stdout);
  scan('stderr', logs.stderr);
  scan('GET /admin/audit', auditText);
  scan('/openapi.json', openapi);
  scan('/docs', docs);
  expect(errorBodies.length).toBeGreaterThan(15);
  errorBodies.forEach((body, index) => scan(`error body ${index}`, body));
  expect(leaks).toEqual([]);
}, 60_000);
