import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../../connector/app';
import { copyKey, issueCredential, regenerateKey } from '../../../connector/credentials/lifecycle';
import { SECRET_FILE } from '../../../connector/credentials/server-secret';
import { initializeDataDir } from '../../../connector/demo/initialize';
import type { OpenedServices } from '../../../connector/services';
import { filesUnder, openTestServices, secretsOnDisk } from '../../helpers/data-dir';
import { OPERATOR } from '../../../connector/security/principal';

let dir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-secrets-'));
});
afterEach(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A key as text, and its random body alone (in case a prefix were stripped before storing). */
const forms = (key: string) => [key, key.slice('sgk_'.length)];

it('creates the server secret beside the data, mode 0600, and never puts it or a key in another file', async () => {
  services = await openTestServices(dir, { secret: null });
  const secretPath = join(dir, SECRET_FILE);
  expect((await stat(secretPath)).mode & 0o777).toBe(0o600);
  const secret = (await readFile(secretPath, 'utf8')).trim();
  expect(Buffer.from(secret, 'base64').length).toBeGreaterThanOrEqual(32);

  const demo = await initializeDataDir(services, { demo: true });
  expect(demo?.length).toBeGreaterThan(0);
  const keys = demo!.map((pair) => pair.key);
  const analyst = services.store.security.findUserByUsername(demo![1].username)!;
  const extra = await issueCredential(services, OPERATOR, analyst.id, 'second', 3600);
  keys.push(extra.key);
  keys.push((await regenerateKey(services, OPERATOR, analyst.id, extra.id)).key);
  expect(copyKey(services, OPERATOR, analyst.id, extra.id).key).toBe(keys[keys.length - 1]);
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
  expect(files).toEqual(expect.arrayContaining(['security.json', SECRET_FILE, 'tables/customers.json']));
  expect(await secretsOnDisk(dir, keys.flatMap(forms))).toEqual([]);
  const secretLeaks = (await secretsOnDisk(dir, [secret])).filter((hit) => hit.file !== SECRET_FILE);
  expect(secretLeaks).toEqual([]);

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

it('does not write a secret file when SHEETGATE_SECRET is given', async () => {
  services = await openTestServices(dir);
  await services.close();
  services = undefined;
  expect(await filesUnder(dir)).not.toContain(SECRET_FILE);
});
