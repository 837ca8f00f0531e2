import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { authorize } from '../../../connector/credentials/lifecycle';
import { OPERATOR } from '../../../connector/security/principal';
import { createUser } from '../../../connector/security/users';
import type { OpenedServices } from '../../../connector/services';
import type { User } from '../../../connector/store/types';
import { openTestServices } from '../../helpers/data-dir';

let dir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-undo-'));
});
afterEach(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

function snapshot(s: OpenedServices) {
  const security = s.store.security;
  return JSON.stringify({
    users: security.listUsers(),
    credentials: security.listUsers().map((u) => security.listCredentials(u.id)),
    organizations: security.listOrganizations(),
    teams: security.listTeams(),
  });
}

it('leaves memory, indexes and the file unchanged when a change throws halfway', async () => {
  services = await openTestServices(dir);
  const s = services;
  const alice = await createUser(s, OPERATOR, { username: 'alice', email: 'alice@example.com', kind: 'portal' });
  const bob = await createUser(s, OPERATOR, { username: 'bob', email: 'bob@example.com', kind: 'portal' });
  const pair = await authorize(s, OPERATOR, alice.id);
  const file = join(dir, 'security.json');
  const diskBefore = await readFile(file, 'utf8');
  const memoryBefore = snapshot(s);

  const newcomer: User = { ...alice, id: 'new-user', username: 'carol', email: 'carol@example.com', roles: ['member'] };
  await expect(
    s.store.security.update((draft) => {
      draft.insertUser(newcomer);
      draft.patchUser(alice.id, { username: 'alice2', email: 'alice2@example.com', grants: { customers: 'expanded' } });
      draft.patchCredential(pair.id, { revokedAt: '2030-01-01T00:00:00.000Z', token: 'sgt_moved' });
      draft.insertCredential({ ...s.store.security.getCredential(pair.id)!, id: 'new-cred', token: 'sgt_new' });
      draft.removeUser(bob.id);
      draft.insertOrganization({ id: 'org-x', name: 'X', kind: 'provider', parent: null, createdAt: '2030-01-01T00:00:00.000Z' });
      draft.insertTeam({ id: 'team-x', name: 'X', createdAt: '2030-01-01T00:00:00.000Z' });
      throw new Error('abort this change');
    }),
  ).rejects.toThrow('abort this change');

  expect(snapshot(s)).toBe(memoryBefore);
  const security = s.store.security;
  expect(security.findUserByUsername('carol')).toBeUndefined();
  expect(security.findUserByEmail('carol@example.com')).toBeUndefined();
  expect(security.getUser('new-user')).toBeUndefined();
  expect(security.findUserByUsername('alice')?.id).toBe(alice.id);
  expect(security.findUserByUsername('alice2')).toBeUndefined();
  expect(security.findUserByEmail('alice2@example.com')).toBeUndefined();
  expect(security.findUserByUsername('bob')?.id).toBe(bob.id);
  expect(security.findCredentialByToken(pair.token)?.revokedAt).toBeNull();
  expect(security.findCredentialByToken('sgt_moved')).toBeUndefined();
  expect(security.findCredentialByToken('sgt_new')).toBeUndefined();
  expect(security.getCredential('new-cred')).toBeUndefined();
  expect(security.getOrganization('org-x')).toBeUndefined();
  expect(security.getTeam('team-x')).toBeUndefined();
  expect(await readFile(file, 'utf8')).toBe(diskBefore);

  // The next successful write must not carry any part of the aborted change to disk.
  await createUser(s, OPERATOR, { username: 'dave', email: 'dave@example.com', kind: 'portal' });
  await s.close();
  services = await openTestServices(dir);
  const reopened = services.store.security;
  expect(reopened.listUsers().map((u) => u.username).sort()).toEqual(['alice', 'bob', 'dave']);
  expect(reopened.findUserByUsername('alice')?.grants).toEqual({});
  expect(reopened.listCredentials(alice.id).map((c) => [c.token, c.revokedAt])).toEqual([[pair.token, null]]);
  expect(reopened.listOrganizations()).toEqual([]);
  expect(reopened.listTeams()).toEqual([]);
});

it('refuses a duplicate username inside the writer without touching the first user', async () => {
  services = await openTestServices(dir);
  const s = services;
  await createUser(s, OPERATOR, { username: 'alice', email: 'alice@example.com', kind: 'portal' });
  const before = snapshot(s);
  await expect(createUser(s, OPERATOR, { username: 'ALICE', email: 'other@example.com', kind: 'portal' })).rejects.toThrow(/already taken/);
  await expect(createUser(s, OPERATOR, { username: 'other', email: 'Alice@Example.com', kind: 'portal' })).rejects.toThrow(/already in use/);
  expect(snapshot(s)).toBe(before);
  expect(s.store.security.findUserByEmail('other@example.com')).toBeUndefined();
});
