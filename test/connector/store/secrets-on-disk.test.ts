import { cp, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../../connector/app';
import { copyKey, issueCredential, regenerateKey } from '../../../connector/credentials/lifecycle';
import { DATA_DIR_ID_FILE } from '../../../connector/credentials/data-dir-id';
import { LEGACY_SECRET_FILE, ServerSecretError } from '../../../connector/credentials/server-secret';
import { initializeDataDir } from '../../../connector/demo/initialize';
import type { OpenedServices } from '../../../connector/services';
import { filesUnder, openTestServices, secretsOnDisk } from '../../helpers/data-dir';
import { capturingLogger } from '../../helpers/harness';
import { CLI_ACTOR } from '../../../connector/security/actor';

let root: string;
/** The data directory, and the configuration directory's secrets folder ("this machine"). */
let dir: string;
let secretsDir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheetgate-secrets-'));
  dir = join(root, 'data');
  secretsDir = join(root, 'config', 'sheetgate', 'secrets');
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  await rm(root, { recursive: true, force: true });
});

const defaultSecret = async (dataDir: string) => join(secretsDir, `${(await readFile(join(dataDir, DATA_DIR_ID_FILE), 'utf8')).trim()}.secret`);

/** A data directory with the demo users, opened with the default secret file; returns a demo pair. */
async function demoDataDir(): Promise<{ token: string; key: string }> {
  const opened = await openTestServices(dir, { secret: null, secretsDir });
  const demo = await initializeDataDir(opened, { demo: true });
  await opened.close();
  return demo![0];
}

async function meStatus(opened: OpenedServices, pair: { token: string; key: string }): Promise<number> {
  const res = await createApp(opened).request('/v1/me', { headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key } });
  return res.status;
}

/** A key as text, and its random body alone (in case a prefix were stripped before storing). */
const forms = (key: string) => [key, key.slice('sgk_'.length)];

it('creates the server secret apart from the data, mode 0600, and never puts it or a key in the data directory', async () => {
  services = await openTestServices(dir, { secret: null, secretsDir });
  const secretPath = await defaultSecret(dir);
  expect((await stat(secretPath)).mode & 0o777).toBe(0o600);
  const secret = (await readFile(secretPath, 'utf8')).trim();
  expect(Buffer.from(secret, 'base64').length).toBeGreaterThanOrEqual(32);

  const demo = await initializeDataDir(services, { demo: true });
  expect(demo?.length).toBeGreaterThan(0);
  const keys = demo!.map((pair) => pair.key);
  const analyst = (await services.store.security.findUserByUsername(demo![1].username))!;
  const extra = await issueCredential(services, CLI_ACTOR, analyst.id, { name: 'second', expiresInSeconds: 3600 });
  keys.push(extra.key);
  keys.push((await regenerateKey(services, CLI_ACTOR, analyst.id, extra.id)).key);
  expect((await copyKey(services, CLI_ACTOR, analyst.id, extra.id)).key).toBe(keys[keys.length - 1]);
  // Requests with the keys (usage is recorded and audited) and a refused one with a wrong key.
  const app = createApp(services);
  for (const pair of demo!) {
    const res = await app.request('/v1/me', { headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key } });
    expect(res.status).toBe(200);
  }
  await app.request('/v1/me', { headers: { 'X-Api-Token': demo![0].token, 'X-Api-Key': keys[keys.length - 1] } });
  await services.close();
  services = undefined;

  const files = await filesUnder(dir);
  expect(files).toEqual(expect.arrayContaining(['security.json', DATA_DIR_ID_FILE, 'tables/customers.json']));
  expect(files).not.toContain(LEGACY_SECRET_FILE);
  expect(await secretsOnDisk(dir, keys.flatMap(forms))).toEqual([]);
  expect(await secretsOnDisk(dir, [secret])).toEqual([]);

  // Every stored credential holds a digest and a ciphertext, nothing else key-like.
  const security = JSON.parse(await readFile(join(dir, 'security.json'), 'utf8'));
  expect(security.credentials.length).toBeGreaterThanOrEqual(keys.length - 1);
  for (const credential of security.credentials) {
    expect(Object.keys(credential).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'keyCiphertext', 'keyDigest', 'lastUsedAt', 'lastUsedIp', 'name', 'revokedAt', 'token', 'userId'].sort(),
    );
    expect(credential.keyDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(credential.keyCiphertext).toMatch(/^v1\./);
  }
});

it('does not write a secret file anywhere when SHEETGATE_SECRET is given', async () => {
  services = await openTestServices(dir, { secretsDir });
  await services.close();
  services = undefined;
  expect(await filesUnder(dir)).not.toContain(LEGACY_SECRET_FILE);
  expect(await filesUnder(root)).toEqual((await filesUnder(dir)).map((file) => join('data', file)));
});

it('a copy of the data directory on another machine finds no secret, and with another secret no key works', async () => {
  const pair = await demoDataDir();
  const copy = join(root, 'copy');
  await cp(dir, copy, { recursive: true });
  const elsewhere = join(root, 'other-machine', 'secrets');
  const refused = openTestServices(copy, { secret: null, secretsDir: elsewhere });
  await expect(refused).rejects.toThrow(ServerSecretError);
  await expect(refused).rejects.toThrow(/No server secret .*Restore the secret file from your backup, or pass --secret-file FILE or SHEETGATE_SECRET/);
  // Nor does a start make one up: the copy stays unable to start until its secret is restored.
  await expect(openTestServices(copy, { secret: null, secretsDir: elsewhere })).rejects.toThrow(ServerSecretError);
  await expect(openTestServices(copy, { secret: null, secretFile: join(root, 'made-up.secret') })).rejects.toThrow(ServerSecretError);

  services = await openTestServices(copy, { secret: 'a-guessed-secret-0123456789abcdef0123456789' });
  expect(await meStatus(services, pair)).toBe(401);
});

it('a copy on the same machine does not silently share the secret; a moved directory keeps it', async () => {
  const pair = await demoDataDir();
  const copy = join(root, 'copy');
  await cp(dir, copy, { recursive: true });
  await expect(openTestServices(copy, { secret: null, secretsDir })).rejects.toThrow(/is a copy of .*pass --secret-file .* explicitly/);
  // Said explicitly, the copy runs with the same keys.
  services = await openTestServices(copy, { secret: null, secretFile: await defaultSecret(dir) });
  expect(await meStatus(services, pair)).toBe(200);
  await services.close();
  await rm(copy, { recursive: true });

  const moved = join(root, 'moved');
  await rename(dir, moved);
  services = await openTestServices(moved, { secret: null, secretsDir });
  expect(services.notices).toEqual([expect.stringMatching(/moved from .*now belongs to/)]);
  expect(await meStatus(services, pair)).toBe(200);
});

it('moves the secret of an existing data directory out of it on the first start, and says so once', async () => {
  const pair = await demoDataDir();
  // A data directory as earlier versions left it: the secret inside, no id.
  await rename(await defaultSecret(dir), join(dir, LEGACY_SECRET_FILE));
  await rm(join(dir, DATA_DIR_ID_FILE));
  await rm(secretsDir, { recursive: true });

  const lines = capturingLogger();
  services = await openTestServices(dir, { secret: null, secretsDir, log: lines });
  expect(services.notices).toEqual([expect.stringMatching(/moved out of the data directory to .*\.secret; back it up apart from the data/)]);
  expect(lines.lines.map((line) => JSON.parse(line).msg)).toEqual(['server_secret_moved']);
  expect(await filesUnder(dir)).not.toContain(LEGACY_SECRET_FILE);
  expect((await stat(await defaultSecret(dir))).mode & 0o777).toBe(0o600);
  expect(await meStatus(services, pair)).toBe(200);
  await services.close();

  services = await openTestServices(dir, { secret: null, secretsDir });
  expect(services.notices).toEqual([]);
  expect(await meStatus(services, pair)).toBe(200);
});

it('--secret-file is created for a new data directory and used as given; a missing one for existing data is refused', async () => {
  const file = join(root, 'etc', 'sheetgate.secret');
  services = await openTestServices(dir, { secret: null, secretFile: file, secretsDir });
  const demo = await initializeDataDir(services, { demo: true });
  await services.close();
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect((await filesUnder(root)).filter((path) => path.startsWith('config'))).toEqual([]);

  services = await openTestServices(dir, { secret: null, secretFile: file });
  expect(await meStatus(services, demo![0])).toBe(200);
  await services.close();
  services = undefined;

  await expect(openTestServices(dir, { secret: null, secretFile: join(root, 'typo.secret') })).rejects.toThrow(/No server secret/);
  await writeFile(join(root, 'bad.secret'), 'too short\n');
  await expect(openTestServices(dir, { secret: null, secretFile: join(root, 'bad.secret') })).rejects.toThrow(/does not hold a server secret/);
});
