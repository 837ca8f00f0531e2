import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../../../connector/errors';
import type { PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';
import { credentialFixture, openTestStore, rejectionOf, userFixture } from './store-fixtures';

describeWithPostgres('PostgreSQL security repository', () => {
  let database: TestDatabase;
  let store: PostgresStore;
  let other: PostgresStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openTestStore(database.url);
    other = await openTestStore(database.url);
    await store.security.transaction(async (tx) => {
      await tx.insertOrganization({ id: 'org-p', name: 'Provider', kind: 'provider', parent: null, createdAt: '2026-01-01T00:00:00.000Z' });
      await tx.insertOrganization({ id: 'org-c', name: 'Client', kind: 'client', parent: 'org-p', createdAt: '2026-01-01T00:00:00.001Z' });
      await tx.insertOrganization({ id: 'org-b', name: 'Beta', kind: 'client', parent: 'org-p', createdAt: '2026-01-01T00:00:00.002Z' });
      await tx.insertTeam({ id: 'team-1', name: 'Sales', createdAt: '2026-01-01T00:00:00.000Z' });
      await tx.insertTeam({ id: 'team-2', name: 'Audit', createdAt: '2026-01-01T00:00:00.005Z' });
    });
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
    await database?.drop();
  });

  it('reads a user back whole: lists in their stored order, settings, grants, timestamps to the millisecond', async () => {
    const user = userFixture({
      username: 'Whole',
      roles: ['portal-admin', 'member'],
      organizations: ['org-c', 'org-p', 'org-b'],
      teams: ['team-2', 'team-1'],
      allowedIps: ['10.0.0.0/8', '192.168.1.1'],
      settings: { warehouse: 'W2', priceCustomer: 'C-9' },
      grants: { customers: 'detail', items: 'basic' },
      apiAuthorized: true,
      createdAt: '2026-03-04T05:06:07.089Z',
      updatedAt: '2026-03-04T05:06:07.999Z',
    });
    await store.security.transaction((tx) => tx.insertUser(user));
    expect(await store.security.getUser(user.id)).toEqual(user);
    expect(await other.security.findUserByUsername('wHOLE')).toEqual(user);
    expect(await other.security.findUserByEmail('WHOLE@EXAMPLE.COM')).toEqual(user);
    expect(await store.security.getUser('no-such-id')).toBeUndefined();
  });

  it('usernames and e-mail addresses are unique ignoring case: 409 conflict, nothing written', async () => {
    await store.security.transaction((tx) => tx.insertUser(userFixture({ username: 'Carol', email: 'carol@example.com' })));
    const before = await store.security.countUsers();
    const byName = await rejectionOf(store.security.transaction((tx) => tx.insertUser(userFixture({ username: 'CAROL', email: 'x@example.com' }))));
    expect(byName).toBeInstanceOf(ApiError);
    expect(byName).toMatchObject({ code: 'conflict', status: 409 });
    const byEmail = await rejectionOf(store.security.transaction((tx) => tx.insertUser(userFixture({ username: 'carol2', email: 'Carol@Example.com' }))));
    expect(byEmail).toMatchObject({ code: 'conflict' });
    const renamed = userFixture({ username: 'dave' });
    await store.security.transaction((tx) => tx.insertUser(renamed));
    const byPatch = await rejectionOf(store.security.transaction((tx) => tx.patchUser(renamed.id, { username: 'carol' })));
    expect(byPatch).toMatchObject({ code: 'conflict' });
    expect(await store.security.countUsers()).toBe(before + 1);
    expect((await store.security.getUser(renamed.id))?.username).toBe('dave');
  });

  it('patchUser changes what it names and rewrites the lists it names; unknown ids are not_found', async () => {
    const user = userFixture({ organizations: ['org-p'], teams: ['team-1'], grants: { customers: 'basic' } });
    await store.security.transaction((tx) => tx.insertUser(user));
    const patched = await store.security.transaction((tx) =>
      tx.patchUser(user.id, { name: 'Grace', active: false, organizations: ['org-b', 'org-c'], grants: { items: 'expanded' }, updatedAt: '2026-05-05T05:05:05.555Z' }),
    );
    const expected = { ...user, name: 'Grace', active: false, organizations: ['org-b', 'org-c'], grants: { items: 'expanded' }, updatedAt: '2026-05-05T05:05:05.555Z' };
    expect(patched).toEqual(expected);
    expect(await other.security.getUser(user.id)).toEqual(expected);
    const settingsOnly = await store.security.transaction((tx) => tx.patchUser(user.id, { settings: { warehouse: 'W1', priceCustomer: '' }, teams: [] }));
    expect(settingsOnly).toEqual({ ...expected, settings: { warehouse: 'W1', priceCustomer: '' }, teams: [] });
    expect(await rejectionOf(store.security.transaction((tx) => tx.patchUser('nobody', { name: 'x' })))).toMatchObject({ code: 'not_found' });
    expect(await rejectionOf(store.security.transaction((tx) => tx.patchUser('nobody', { teams: [] })))).toMatchObject({ code: 'not_found' });
  });

  it('removeUser deletes the user and its lists but keeps its credentials', async () => {
    const user = userFixture({ organizations: ['org-p'], grants: { customers: 'standard' } });
    const credential = credentialFixture(user.id);
    await store.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(credential);
    });
    await store.security.transaction((tx) => tx.removeUser(user.id));
    expect(await other.security.getUser(user.id)).toBeUndefined();
    expect(await other.security.findCredentialByToken(credential.token)).toEqual(credential);
    expect(await rejectionOf(store.security.transaction((tx) => tx.removeUser(user.id)))).toMatchObject({ code: 'not_found' });
  });

  it('lists users, organizations and teams in creation order', async () => {
    const users = await store.security.listUsers();
    expect(users.length).toBe(await store.security.countUsers());
    expect(users.map((u) => u.createdAt)).toEqual([...users.map((u) => u.createdAt)].sort());
    expect((await other.security.listOrganizations()).map((o) => o.id)).toEqual(['org-p', 'org-c', 'org-b']);
    expect(await other.security.getOrganization('org-c')).toEqual({ id: 'org-c', name: 'Client', kind: 'client', parent: 'org-p', createdAt: '2026-01-01T00:00:00.001Z' });
    expect((await other.security.listTeams()).map((t) => t.name)).toEqual(['Sales', 'Audit']);
    expect(await other.security.getTeam('team-9')).toBeUndefined();
  });

  it('organization and team names are unique ignoring case', async () => {
    const org = rejectionOf(store.security.transaction((tx) => tx.insertOrganization({ id: 'org-x', name: 'PROVIDER', kind: 'provider', parent: null, createdAt: '2026-01-01T00:00:00.000Z' })));
    expect(await org).toMatchObject({ code: 'conflict' });
    const team = rejectionOf(store.security.transaction((tx) => tx.insertTeam({ id: 'team-x', name: 'sales', createdAt: '2026-01-01T00:00:00.000Z' })));
    expect(await team).toMatchObject({ code: 'conflict' });
  });

  it('finds a principal (credential, user and its organizations, whole) by token in one read; another store sees a change on its next read', async () => {
    const user = userFixture({
      username: 'Holder',
      organizations: ['org-c', 'org-p'],
      teams: ['team-1'],
      settings: { warehouse: 'W1', priceCustomer: '' },
      grants: { customers: 'standard' },
      allowedIps: ['10.0.0.0/8'],
      apiAuthorized: true,
    });
    const credential = credentialFixture(user.id, { expiresAt: '2027-02-01T00:00:00.000Z' });
    await store.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(credential);
    });
    // Its organizations and their clients, in creation order, as listOrganizations has them.
    const organizations = (await other.security.listOrganizations()).filter((org) => ['org-p', 'org-c', 'org-b'].includes(org.id));
    expect(organizations.map((org) => org.id)).toEqual(['org-p', 'org-c', 'org-b']);
    expect(await other.security.findPrincipal(credential.token)).toEqual({ credential, user: await other.security.getUser(user.id), organizations });
    expect((await other.security.findPrincipal(credential.token))?.user).toEqual(user);
    expect(await other.security.findPrincipal('sgt_none')).toBeUndefined();

    // Usage noted on this instance (not yet flushed) shows, as findCredentialByToken shows it.
    other.security.recordCredentialUse(credential.id, '2026-05-01T00:00:00.000Z', '10.0.0.7');
    expect((await other.security.findPrincipal(credential.token))?.credential).toMatchObject({ lastUsedAt: '2026-05-01T00:00:00.000Z', lastUsedIp: '10.0.0.7' });

    await store.security.transaction((tx) => tx.patchUser(user.id, { active: false, allowedIps: ['192.168.0.0/16'] }));
    expect((await other.security.findPrincipal(credential.token))?.user).toMatchObject({ active: false, allowedIps: ['192.168.0.0/16'] });
    await store.security.transaction((tx) => tx.patchCredential(credential.id, { revokedAt: '2026-05-02T00:00:00.000Z' }));
    expect((await other.security.findPrincipal(credential.token))?.credential.revokedAt).toBe('2026-05-02T00:00:00.000Z');

    // A deleted user's credential stays (revoked by the caller): found, with no user.
    await store.security.transaction((tx) => tx.removeUser(user.id));
    expect(await other.security.findPrincipal(credential.token)).toEqual({ credential: expect.objectContaining({ id: credential.id }), user: undefined, organizations: [] });
  });

  it('finds a credential by token; a revocation on one store is seen by another on its next read', async () => {
    const user = userFixture({ kind: 'api', apiAuthorized: true });
    const first = credentialFixture(user.id, { createdAt: '2026-02-01T00:00:00.000Z', expiresAt: '2027-02-01T00:00:00.000Z' });
    const second = credentialFixture(user.id, { createdAt: '2026-02-02T00:00:00.000Z' });
    await store.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(second);
      await tx.insertCredential(first);
    });
    expect(await other.security.findCredentialByToken(first.token)).toEqual(first);
    expect(await other.security.findCredentialByToken('sgt_none')).toBeUndefined();
    expect((await other.security.listCredentials(user.id)).map((c) => c.id)).toEqual([first.id, second.id]);

    const revoked = await store.security.transaction((tx) => tx.patchCredential(first.id, { revokedAt: '2026-02-03T00:00:00.123Z' }));
    expect(revoked).toEqual({ ...first, revokedAt: '2026-02-03T00:00:00.123Z' });
    expect((await other.security.findCredentialByToken(first.token))?.revokedAt).toBe('2026-02-03T00:00:00.123Z');
    expect(await rejectionOf(store.security.transaction((tx) => tx.patchCredential('none', { revokedAt: null })))).toMatchObject({ code: 'not_found' });
    const taken = rejectionOf(store.security.transaction((tx) => tx.insertCredential(credentialFixture(user.id, { token: second.token }))));
    expect(await taken).toMatchObject({ code: 'conflict' });
  });

  it('credential use is seen at once by its own store, written coalesced, and flushed on close', async () => {
    const user = userFixture();
    const credential = credentialFixture(user.id);
    await store.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(credential);
    });
    const local = await openTestStore(database.url);
    local.security.recordCredentialUse(credential.id, '2026-04-01T00:00:00.001Z', '10.0.0.1');
    local.security.recordCredentialUse(credential.id, '2026-04-01T00:00:00.002Z', '10.0.0.2');
    expect(await local.security.findCredentialByToken(credential.token)).toMatchObject({ lastUsedAt: '2026-04-01T00:00:00.002Z', lastUsedIp: '10.0.0.2' });
    // Not a write per request: the other instance sees nothing before the flush.
    expect(await other.security.getCredential(credential.id)).toMatchObject({ lastUsedAt: null, lastUsedIp: null });
    await local.close();
    expect(await other.security.getCredential(credential.id)).toMatchObject({ lastUsedAt: '2026-04-01T00:00:00.002Z', lastUsedIp: '10.0.0.2' });
    // An older use flushed by another instance does not overwrite a newer one.
    const late = await openTestStore(database.url);
    late.security.recordCredentialUse(credential.id, '2026-03-01T00:00:00.000Z', '10.9.9.9');
    await late.close();
    expect((await store.security.getCredential(credential.id))?.lastUsedIp).toBe('10.0.0.2');
  });

  it('answers ready while the database does, and not after close', async () => {
    const probe = await openTestStore(database.url);
    expect(await probe.ready()).toBe(true);
    await probe.close();
    expect(await probe.ready()).toBe(false);
    await probe.close();
  });
});
