import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { api, bootstrapAdmin, failureLine, outcome, type Pair } from '../../helpers/connector-http';

// The same admin commands, once on a stopped data directory and once with --url against a running
// connector (over another directory set up the same way): same output, same exit codes.

let localDir: string;
let remoteDir: string;
let connector: RunningConnector;
let admin: Pair;
let remoteEnv: NodeJS.ProcessEnv;
beforeAll(async () => {
  [localDir, remoteDir] = await Promise.all([tempDataDir(), tempDataDir()]);
  [, admin] = await Promise.all([bootstrapAdmin(localDir), bootstrapAdmin(remoteDir)]);
  connector = await startConnector(remoteDir);
  remoteEnv = { ...TEST_ENV, SHEETGATE_TOKEN: admin.token, SHEETGATE_KEY: admin.key };
}, 30_000);
afterAll(async () => {
  await connector?.stop();
  await Promise.all([localDir, remoteDir].map((dir) => dir && rm(dir, { recursive: true, force: true })));
});

/** A loopback port nothing listens on (just freed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

type Result = Awaited<ReturnType<typeof runCli>>;

/** Ids, tokens, keys and times differ between the two stores; everything else must not. */
function normalized({ code, stdout, stderr }: Result): Result {
  const scrub = (text: string) =>
    text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
      .replace(/sgt_[\w-]+/g, '<token>')
      .replace(/sgk_[\w-]+/g, '<key>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
  return { code, stdout: scrub(stdout), stderr: scrub(stderr) };
}

/** Runs `args` both ways at once; expects the same (normalized) result and returns the remote one. */
async function both(args: string[]): Promise<Result> {
  const [local, remote] = await Promise.all([runCli([...args, '--data', localDir]), runCli([...args, '--url', connector.url], remoteEnv)]);
  expect(normalized(remote), `sheetgate ${args.join(' ')}`).toEqual(normalized(local));
  return remote;
}

it('runs users, authorize, revoke and import against a running connector exactly as on a data directory', { timeout: 120_000 }, async () => {
  const created = await both(['users', 'create', '--username', 'alice', '--email', 'alice@example.com', '--name', 'Alice', '--kind', 'api', '--org', 'org-northwind']);
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/^Created "alice" \([0-9a-f-]{36}\); API access is off until you authorize it\.\n$/);

  // The CLI refuses what the API refuses, in the API's words, exit 2, locally too.
  const taken = await both(['users', 'create', '--username', 'alice', '--email', 'other@example.com']);
  expect(failureLine(taken)).toMatch(/"alice" is already taken/);
  expect(taken.code).toBe(2);
  const badEmail = await both(['users', 'create', '--username', 'bob', '--email', 'not-an-email']);
  expect(failureLine(badEmail)).toMatch(/Field "email"/);
  expect(badEmail.code).toBe(2);

  const granted = await both(['users', 'grant', 'alice', 'customers=standard', 'products=basic']);
  expect(granted.stdout.trim().split('\n').sort()).toEqual(['campaigns\tnone', 'customers\tstandard', 'products\tbasic', 'stock-levels\tnone']);
  expect(failureLine(await both(['users', 'grant', 'alice', 'customers=gold']))).toMatch(/"gold" is not a format/);
  expect((await both(['users', 'settings', 'alice', '--warehouse', 'MAIN'])).stdout).toBe('warehouse\tMAIN\npriceCustomer\t\n');
  expect(failureLine(await both(['authorize', 'nobody']))).toMatch(/No user "nobody"/);

  // authorize --json is the route's answer; the new pair reads what the grants allow.
  const [localAccess, remoteAccess] = await Promise.all([
    runCli(['authorize', 'alice', '--json', '--data', localDir]),
    runCli(['authorize', 'alice', '--json', '--url', connector.url], remoteEnv),
  ]);
  expect(normalized(remoteAccess)).toEqual(normalized(localAccess));
  const answer = JSON.parse(remoteAccess.stdout);
  expect(answer).toMatchObject({ authorized: true, credential: { token: expect.stringMatching(/^sgt_/), key: expect.stringMatching(/^sgk_/), name: expect.any(String) } });
  const alice: Pair = { token: answer.credential.token, key: answer.credential.key };
  // Shown before the pair is used: its last use is then "never" in both stores.
  const shown = await both(['users', 'show', 'alice@example.com']);
  expect(shown.stdout).toMatch(/^Username: +alice$/m);
  expect(shown.stdout).toMatch(/^Grants: +customers=standard, products=basic$/m);
  expect(shown.stdout).toMatch(/^API access: +on$/m);
  const shownJson = JSON.parse((await both(['users', 'show', 'alice', '--json'])).stdout);
  expect(shownJson).toEqual((await api(connector.url, 'GET', `/admin/users/${shownJson.id}`, { pair: admin })).body);

  expect((await api(connector.url, 'GET', '/v1/tables/customers?format=standard&limit=5', { pair: alice })).status).toBe(200);
  expect(outcome(await api(connector.url, 'GET', '/v1/tables/customers?format=detail', { pair: alice }))).toEqual([403, 'tier_not_granted']);

  const listed = await both(['users', 'list']);
  const lines = listed.stdout.trim().split('\n');
  expect(lines[0]).toBe('USERNAME\tE-MAIL\tROLES\tSTATUS\tAPI\tID');
  expect(lines.find((line) => line.startsWith('alice\t'))?.split('\t').slice(0, 5)).toEqual(['alice', 'alice@example.com', 'member', 'active', 'api on']);
  const listedJson = JSON.parse((await runCli(['users', 'list', '--json', '--url', connector.url], remoteEnv)).stdout);
  expect(listedJson.nextCursor).toBeNull();
  expect(listedJson.users.map((u: { username: string }) => u.username)).toEqual(expect.arrayContaining(['root', 'alice', 'ann.analyst']));

  // import: the file is read by the CLI and sent to the route; a bad one is refused, naming the fields.
  const csv = join(remoteDir, '..', `remote-products-${process.pid}.csv`);
  await writeFile(csv, 'Code,Description,Weight\nRM-001,Widget,1.5\nRM-002,"Gadget, large",2\n');
  expect((await both(['import', 'products', csv])).stdout).toBe('Imported 2 rows into "products".\n');
  expect((await both(['import', 'products', csv, '--json'])).stdout).toBe('{"upserted":2}\n');
  await writeFile(csv, 'Code,Colour\nRM-003,red\n');
  expect(failureLine(await both(['import', 'products', csv]))).toMatch(/"Colour", which is not an importable field of table "products"; those are Code, Description, /);
  await rm(csv);
  expect((await api(connector.url, 'GET', '/v1/tables/products/rows/RM-002?format=standard', { pair: admin })).body.row).toMatchObject({ Weight: 2 });

  expect((await both(['revoke', 'alice'])).stdout).toBe('API access of "alice" is off; every credential of it was revoked.\n');
  expect(outcome(await api(connector.url, 'GET', '/v1/me', { pair: alice }))).toEqual([401, 'credentials_revoked']);
  expect((await both(['users', 'deactivate', 'ann.analyst'])).stdout).toBe('"ann.analyst" is deactivated.\n');
  expect((await both(['users', 'delete', 'feed.bot'])).stdout).toBe('Deleted "feed.bot"; its credentials stopped working.\n');

  // Remote changes are the signed-in admin's in the audit log, not the operator's.
  const audit = (await api(connector.url, 'GET', '/admin/audit?action=api-access.', { pair: admin })).body.entries as Array<{ action: string; actor: string; target: string }>;
  expect(audit.find((entry) => entry.action === 'api-access.deauthorize' && entry.target === 'alice')?.actor).toBe('root');
});

it('takes SHEETGATE_URL, and refuses a missing pair, a wrong pair, a second store and a connector that does not answer', { timeout: 60_000 }, async () => {
  const viaEnv = await runCli(['users', 'show', 'root'], { ...remoteEnv, SHEETGATE_URL: connector.url });
  expect(viaEnv.code).toBe(0);
  expect(viaEnv.stdout).toMatch(/^Roles: +system-admin$/m);

  const { SHEETGATE_KEY: _key, ...noKey } = remoteEnv;
  const missing = await runCli(['users', 'list', '--url', connector.url], noKey);
  expect(failureLine(missing)).toMatch(/set SHEETGATE_TOKEN and SHEETGATE_KEY/);
  expect(missing.code).toBe(2);

  const wrong = await runCli(['users', 'list', '--url', connector.url], { ...remoteEnv, SHEETGATE_KEY: `${admin.key.slice(0, -2)}xx` });
  expect(failureLine(wrong)).not.toContain(admin.key.slice(0, 12));
  expect(wrong.code).toBe(2);

  const twoStores = await runCli(['users', 'list', '--data', localDir], { ...remoteEnv, SHEETGATE_URL: connector.url });
  expect(failureLine(twoStores)).toMatch(/SHEETGATE_URL is set, so the command goes to that connector: leave out --data/);
  expect(twoStores.code).toBe(2);

  const gone = await runCli(['users', 'list', '--url', `http://127.0.0.1:${await closedPort()}`], remoteEnv);
  expect(failureLine(gone)).toMatch(/The connector did not answer \(ECONNREFUSED\)/);
  expect(gone.code).toBe(1);
});

it('verifies TLS: an untrusted certificate is refused with what to do, and NODE_EXTRA_CA_CERTS trusts it', { timeout: 60_000 }, async () => {
  const dir = await tempDataDir();
  const cert = join(dir, '..', `remote-tls-${process.pid}.crt`);
  const key = join(dir, '..', `remote-tls-${process.pid}.key`);
  let tlsConnector: RunningConnector | undefined;
  try {
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
    ]);
    const pair = await bootstrapAdmin(dir);
    tlsConnector = await startConnector(dir, ['--tls-cert', cert, '--tls-key', key]);
    expect(tlsConnector.url).toMatch(/^https:/);
    const env = { ...TEST_ENV, SHEETGATE_TOKEN: pair.token, SHEETGATE_KEY: pair.key };
    const untrusted = await runCli(['users', 'show', 'root', '--url', tlsConnector.url], env);
    expect(failureLine(untrusted)).toMatch(/TLS certificate is not trusted \(\w+\).*NODE_EXTRA_CA_CERTS/);
    const trusted = await runCli(['users', 'show', 'root', '--url', tlsConnector.url], { ...env, NODE_EXTRA_CA_CERTS: cert });
    expect(trusted.code).toBe(0);
    expect(trusted.stdout).toMatch(/^Username: +root$/m);
  } finally {
    await tlsConnector?.stop();
    await Promise.all([dir, cert, key].map((path) => rm(path, { recursive: true, force: true })));
  }
});
