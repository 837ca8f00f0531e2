import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { authorize } from '../../../connector/credentials/lifecycle';
import { createUser } from '../../../connector/security/users';
import type { OpenedServices } from '../../../connector/services';
import type { User } from '../../../connector/store/types';
import { openTestServices } from '../../helpers/data-dir';
import { CLI_ACTOR } from '../../../connector/security/actor';

let dir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-undo-'));
});
afterEach(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

async function snapshot(s: OpenedServices) {
  const security = s.store.security;
  return JSON.stringify({
    users: await security.listUsers(),
    credentials: await Promise.all((await security.listUsers()).map((u) => security.listCredentials(u.id))),
    organizations: await security.listOrganizations(),
    teams: await security.listTeams(),
  });
}

it('leaves memory, indexes and the file unchanged when a change throws halfway', async () => {
  services = await openTestServices(dir);
  const s = services;
  const alice = await createUser(s, CLI_ACTOR, { username: 'alice', email: 'alice@example.com', kind: 'portal' });
  const bob = await createUser(s, CLI_ACTOR, { username: 'bob', email: 'bob@example.com', kind: 'portal' });
  const pair = await authorize(s, CLI_ACTOR, alice.id);
  const file = join(dir, 'security.json');
  const diskBefore = await readFile(file, 'utf8');
  const memoryBefore = await snapshot(s);

  const newcomer: User = { ...alice, id: 'new-user', username: 'carol', email: 'carol@example.com', roles: ['member'] };
  await expect(
    s.store.security.transaction(async (draft) => {
      await draft.insertUser(newcomer);
      await draft.patchUser(alice.id, { username: 'alice2', email: 'alice2@example.com', grants: { customers: 'expanded' } });
      await draft.patchCredential(pair.id, { revokedAt: '2030-01-01T00:00:00.000Z', token: 'sgt_moved' });
      await draft.insertCredential({ ...(await s.store.security.getCredential(pair.id))!, id: 'new-cred', token: 'sgt_new' });
      await draft.removeUser(bob.id);
      await draft.insertOrganization({ id: 'org-x', name: 'X', kind: 'provider', parent: null, createdAt: '2030-01-01T00:00:00.000Z' });
      await draft.insertTeam({ id: 'team-x', name: 'X', createdAt: '2030-01-01T00:00:00.000Z' });
      throw new Error('abort this change');
    }),
  ).rejects.toThrow('abort this change');

  expect(await snapshot(s)).toBe(memoryBefore);
  const security = s.store.security;
  expect(await security.findUserByUsername('carol')).toBeUndefined();
  expect(await security.findUserByEmail('carol@example.com')).toBeUndefined();
  expect(await security.getUser('new-user')).toBeUndefined();
  expect((await security.findUserByUsername('alice'))?.id).toBe(alice.id);
  expect(await security.findUserByUsername('alice2')).toBeUndefined();
  expect(await security.findUserByEmail('alice2@example.com')).toBeUndefined();
  expect((await security.findUserByUsername('bob'))?.id).toBe(bob.id);
  expect((await security.findCredentialByToken(pair.token))?.revokedAt).toBeNull();
  expect(await security.findCredentialByToken('sgt_moved')).toBeUndefined();
  expect(await security.findCredentialByToken('sgt_new')).toBeUndefined();
  expect(await security.getCredential('new-cred')).toBeUndefined();
  expect(await security.getOrganization('org-x')).toBeUndefined();
  expect(await security.getTeam('team-x')).toBeUndefined();
  expect(await readFile(file, 'utf8')).toBe(diskBefore);

  // The next successful write must not carry any part of the aborted change to disk.
  await createUser(s, CLI_ACTOR, { username: 'dave', email: 'dave@example.com', kind: 'portal' });
  await s.close();
  services = await openTestServices(dir);
  const reopened = services.store.security;
  expect((await reopened.listUsers()).map((u) => u.username).sort()).toEqual(['alice', 'bob', 'dave']);
  expect((await reopened.findUserByUsername('alice'))?.grants).toEqual({});
  expect((await reopened.listCredentials(alice.id)).map((c) => [c.token, c.revokedAt])).toEqual([[pair.token, null]]);
  expect(await reopened.listOrganizations()).toEqual([]);
  expect(await reopened.listTeams()).toEqual([]);
});

it('refuses a duplicate username inside the writer without touching the first user', async () => {
  services = await openTestServices(dir);
  const s = services;
  await createUser(s, CLI_ACTOR, { username: 'alice', email: 'alice@example.com', kind: 'portal' });
  const before = await snapshot(s);
  await expect(createUser(s, CLI_ACTOR, { username: 'ALICE', email: 'other@example.com', kind: 'portal' })).rejects.toThrow(/already taken/);
  await expect(createUser(s, CLI_ACTOR, { username: 'other', email: 'Alice@Example.com', kind: 'portal' })).rejects.toThrow(/already in use/);
  expect(await snapshot(s)).toBe(before);
  expect(await s.store.security.findUserByEmail('other@example.com')).toBeUndefined();
});
