import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { PostgresStore } from '../../../connector/store/postgres/open-postgres-store';
import type { Credential, CredentialHolder } from '../../../connector/store/types';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../helpers/postgres';
import { credentialFixture, openTestStore, userFixture } from '../store/postgres/store-fixtures';

// The kept principals (store/postgres/principal-cache.ts) against changes made around the
// connector: by another instance's store, and by plain SQL on another connection (an operator's
// own statement), which only the database's triggers can report.
describeWithPostgres('PostgreSQL principal cache', () => {
  let database: TestDatabase;
  let store: PostgresStore;
  let other: PostgresStore;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    store = await openTestStore(database.url);
    other = await openTestStore(database.url);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    await store.security.transaction(async (tx) => {
      await tx.insertOrganization({ id: 'org-p', name: 'Provider', kind: 'provider', parent: null, createdAt: '2026-01-01T00:00:00.000Z' });
      await tx.insertOrganization({ id: 'org-c', name: 'Client', kind: 'client', parent: null, createdAt: '2026-01-01T00:00:00.001Z' });
      await tx.insertTeam({ id: 'team-1', name: 'Sales', createdAt: '2026-01-01T00:00:00.000Z' });
    });
  });
  afterAll(async () => {
    await sql?.end();
    await store?.close();
    await other?.close();
    await database?.drop();
  });

  async function holderWithCredential() {
    const user = userFixture({ organizations: ['org-p'], teams: ['team-1'], grants: { customers: 'standard' }, apiAuthorized: true });
    const credential = credentialFixture(user.id);
    await other.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(credential);
    });
    return { user, credential };
  }
  type Holder = CredentialHolder | undefined;
  const version = async () => Number((await sql.query('SELECT version FROM security_version')).rows[0].version);

  it('a token read again costs the version read, not the principal statement, while nothing changed', async () => {
    const { credential } = await holderWithCredential();
    const readPrincipal = vi.spyOn(store.security as unknown as { readPrincipal(token: string): Promise<unknown> }, 'readPrincipal');
    try {
      const first = await store.security.findPrincipal(credential.token);
      const second = await store.security.findPrincipal(credential.token);
      expect(second).toEqual(first);
      expect(readPrincipal).toHaveBeenCalledTimes(1);
      // An unknown token is kept as unknown: read once, as a known one is.
      expect(await store.security.findPrincipal('sgt_unknown')).toBeUndefined();
      expect(await store.security.findPrincipal('sgt_unknown')).toBeUndefined();
      expect(readPrincipal).toHaveBeenCalledTimes(2);
    } finally {
      readPrincipal.mockRestore();
    }
  });

  it.each([
    ['a revocation', (c: Credential) => `UPDATE credentials SET revoked_at = now() WHERE id = '${c.id}'`, (h: Holder) => h?.credential.revokedAt !== null],
    ['an expiry', (c: Credential) => `UPDATE credentials SET expires_at = '2026-01-01' WHERE id = '${c.id}'`, (h: Holder) => h?.credential.expiresAt === '2026-01-01T00:00:00.000Z'],
    ['a deleted credential', (c: Credential) => `DELETE FROM credentials WHERE id = '${c.id}'`, (h: Holder) => h === undefined],
    ['a deactivation', (c: Credential) => `UPDATE users SET active = false WHERE id = '${c.userId}'`, (h: Holder) => h?.user?.active === false],
    ['an IP list', (c: Credential) => `UPDATE users SET allowed_ips = '{10.0.0.1}' WHERE id = '${c.userId}'`, (h: Holder) => h?.user?.allowedIps.join() === '10.0.0.1'],
    ['a grant removed', (c: Credential) => `DELETE FROM grants WHERE user_id = '${c.userId}'`, (h: Holder) => h?.user?.grants.customers === undefined],
    ['a setting', (c: Credential) => `UPDATE user_settings SET warehouse = 'W9' WHERE user_id = '${c.userId}'`, (h: Holder) => h?.user?.settings.warehouse === 'W9'],
    ['a membership', (c: Credential) => `INSERT INTO user_organizations VALUES ('${c.userId}', 'org-c', 2)`, (h: Holder) => h?.user?.organizations.includes('org-c') === true],
    ['a team left', (c: Credential) => `DELETE FROM user_teams WHERE user_id = '${c.userId}'`, (h: Holder) => h?.user?.teams.length === 0],
    ['a provider gaining a client', () => `UPDATE organizations SET parent = 'org-p' WHERE id = 'org-c'`, (h: Holder) => h?.organizations.some((o) => o.id === 'org-c') === true],
  ] as Array<[string, (c: Credential) => string, (h: Holder) => boolean]>)('%s made in plain SQL on another connection is seen by the next read', async (what, change, seen) => {
    const { credential } = await holderWithCredential();
    const before = await store.security.findPrincipal(credential.token);
    expect(seen(before)).toBe(false);
    expect(await store.security.findPrincipal(credential.token)).toEqual(before); // kept
    await sql.query(change(credential));
    expect(seen(await store.security.findPrincipal(credential.token))).toBe(true);
    if (what === 'a provider gaining a client') await sql.query(`UPDATE organizations SET parent = NULL WHERE id = 'org-c'`);
  });

  it("after this instance's own change, its next read goes straight to the principal, with no version read first", async () => {
    const { credential } = await holderWithCredential();
    await store.security.findPrincipal(credential.token);
    await store.security.transaction((tx) => tx.patchCredential(credential.id, { name: 'Renamed' }));
    const pool = (store.security as unknown as { pool: pg.Pool }).pool;
    const query = vi.spyOn(pool, 'query');
    try {
      expect(await store.security.findPrincipal(credential.token)).toMatchObject({ credential: { name: 'Renamed' } });
      expect(query).toHaveBeenCalledTimes(1); // the principal
      await store.security.findPrincipal(credential.token);
      expect(query).toHaveBeenCalledTimes(2); // then the version, for the kept one
    } finally {
      query.mockRestore();
    }
  });

  it('a token kept as unknown is found once another instance creates it', async () => {
    const user = userFixture({ apiAuthorized: true });
    const credential = credentialFixture(user.id);
    expect(await store.security.findPrincipal(credential.token)).toBeUndefined();
    expect(await store.security.findPrincipal(credential.token)).toBeUndefined();
    await other.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(credential);
    });
    expect((await store.security.findPrincipal(credential.token))?.credential.id).toBe(credential.id);
  });

  it('a change through another instance is seen by the next read, in a transaction or not', async () => {
    const { user, credential } = await holderWithCredential();
    await store.security.findPrincipal(credential.token);
    await store.security.findPrincipal(credential.token);
    await other.security.transaction((tx) => tx.patchCredential(credential.id, { revokedAt: '2026-05-02T00:00:00.000Z' }));
    expect((await store.security.findPrincipal(credential.token))?.credential.revokedAt).toBe('2026-05-02T00:00:00.000Z');
    await other.security.transaction((tx) => tx.patchUser(user.id, { apiAuthorized: false }));
    expect((await store.security.findPrincipal(credential.token))?.user?.apiAuthorized).toBe(false);
  });

  it('credential usage is not security state: writing it moves no version, and a change moves it once per transaction', async () => {
    const { credential } = await holderWithCredential();
    const start = await version();
    await sql.query(`UPDATE credentials SET last_used_at = now(), last_used_ip = '10.0.0.9' WHERE id = $1`, [credential.id]);
    expect(await version()).toBe(start);
    await sql.query('BEGIN');
    await sql.query(`UPDATE users SET description = 'one' WHERE id = $1`, [credential.userId]);
    await sql.query(`UPDATE credentials SET name = 'two' WHERE id = $1`, [credential.id]);
    await sql.query('COMMIT');
    expect(await version()).toBe(start + 1);
    await sql.query('BEGIN');
    await sql.query(`UPDATE users SET description = 'rolled back' WHERE id = $1`, [credential.userId]);
    await sql.query('ROLLBACK');
    expect(await version()).toBe(start + 1);
  });
});
