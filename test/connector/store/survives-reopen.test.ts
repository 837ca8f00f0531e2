import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../../../connector/app';
import { recordAudit } from '../../../connector/audit';
import { authorize, revokeCredential } from '../../../connector/credentials/lifecycle';
import { OPERATOR } from '../../../connector/security/principal';
import { createUser, deleteUser, setGrants, setSettings } from '../../../connector/security/users';
import type { OpenedServices } from '../../../connector/services';
import { openTestServices } from '../../helpers/data-dir';
import { CLI_ACTOR } from '../../../connector/security/actor';
import { allRows } from '../../helpers/rows';

let dir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-store-'));
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function reopen(): Promise<OpenedServices> {
  await services?.close();
  services = await openTestServices(dir);
  return services;
}

function me(opened: OpenedServices, pair: { token: string; key: string }) {
  return createApp(opened).request('/v1/me', { headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key } });
}

it('keeps users, grants, settings, credentials, rows and audit entries across close and reopen', async () => {
  let s = await reopen();
  expect(s.isNew).toBe(true);
  const alice = await createUser(s, CLI_ACTOR, { username: 'alice', email: 'alice@example.com', kind: 'api', name: 'Alice' });
  await setGrants(s, CLI_ACTOR, alice.id, { customers: 'detail', products: 'basic' });
  await setSettings(s, CLI_ACTOR, alice.id, { warehouse: 'MAIN', priceCustomer: 'C0001' });
  const live = await authorize(s, CLI_ACTOR, alice.id);
  const revoked = await authorize(s, CLI_ACTOR, alice.id);
  await revokeCredential(s, CLI_ACTOR, alice.id, revoked.id);
  const bob = await createUser(s, CLI_ACTOR, { username: 'bob', email: 'bob@example.com', kind: 'portal' });
  const bobPair = await authorize(s, CLI_ACTOR, bob.id);
  await deleteUser(s, CLI_ACTOR, bob.id);
  await s.store.rows.upsert('products', 'Code', [
    { Code: 'P-2', Description: 'Second' },
    { Code: 'P-1', Description: 'First' },
  ]);
  recordAudit(s.store.audit, { principal: OPERATOR, action: 'test.persist', target: 'alice', ip: null, at: new Date('2030-01-01T00:00:00Z') });
  expect((await me(s, live)).status).toBe(200);
  s.store.security.recordCredentialUse(live.id, '2030-01-02T00:00:00.000Z', '127.0.0.9');

  s = await reopen();
  expect(s.isNew).toBe(false);
  const stored = await s.store.security.findUserByUsername('alice');
  expect(stored).toMatchObject({
    id: alice.id,
    kind: 'api',
    name: 'Alice',
    apiAuthorized: true,
    grants: { customers: 'detail', products: 'basic' },
    settings: { warehouse: 'MAIN', priceCustomer: 'C0001' },
  });
  expect(await s.store.security.findUserByUsername('bob')).toBeUndefined();
  expect((await s.store.security.findUserByEmail('alice@example.com'))?.id).toBe(alice.id);

  const credentials = await s.store.security.listCredentials(alice.id);
  expect(credentials.map((c) => c.token).sort()).toEqual([live.token, revoked.token].sort());
  // Usage is persisted lazily; close must still write it.
  expect(await s.store.security.findCredentialByToken(live.token)).toMatchObject({ lastUsedAt: '2030-01-02T00:00:00.000Z', lastUsedIp: '127.0.0.9' });

  // The reopened vault checks the stored digests: the live pair works, the revoked and deleted ones do not.
  expect((await me(s, live)).status).toBe(200);
  const revokedAnswer = await me(s, revoked);
  expect([revokedAnswer.status, (await revokedAnswer.json()).error.code]).toEqual([401, 'credentials_revoked']);
  const deletedAnswer = await me(s, bobPair);
  expect([deletedAnswer.status, (await deletedAnswer.json()).error.code]).toEqual([401, 'credentials_revoked']);

  expect((await allRows(s.store, 'products', 'Code')).map((row) => row.Code)).toEqual(['P-1', 'P-2']);
  expect(await s.store.rows.get('products', 'P-2')).toEqual({ Code: 'P-2', Description: 'Second' });

  const audit = await s.store.audit.list(50);
  expect(audit.some((entry) => entry.action === 'test.persist' && entry.target === 'alice' && entry.actor === 'cli')).toBe(true);
});

it('keeps a removed row removed after reopen', async () => {
  let s = await reopen();
  await s.store.rows.upsert('products', 'Code', [{ Code: 'A' }, { Code: 'B' }]);
  expect(await s.store.rows.remove('products', 'A')).toBe(true);
  s = await reopen();
  expect((await allRows(s.store, 'products', 'Code'))).toEqual([{ Code: 'B' }]);
  expect(await s.store.rows.get('products', 'A')).toBeUndefined();
});
