import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyStore, TargetNotEmptyError } from '../../../connector/store/copy-store';
import { openLowdbStore, type OpenedStore } from '../../../connector/store/open-store';
import type { PostgresStore } from '../../../connector/store/postgres/open-postgres-store';
import type { AuditEntry } from '../../../connector/store/types';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../helpers/postgres';
import { credentialFixture, openTestStore, rejectionOf, TABLES, userFixture } from './postgres/store-fixtures';

// copyStore through the store interface, embedded → PostgreSQL: what the interface alone would
// miss (a deleted user's credential, usage, a client listed before its provider, refusals) included.

const KEYS = TABLES.map(({ id, key }) => ({ id, key }));
const at = (n: number) => `2026-02-0${n}T10:00:00.00${n}Z`;
const entry = (n: number, outcome = 'ok'): AuditEntry => ({ at: at(n), actor: 'cli', actorId: null, action: `user.step${n}`, target: `t${n}`, ip: null, outcome });

describeWithPostgres('copyStore', () => {
  let dir: string;
  let source: OpenedStore;
  let database: TestDatabase;
  let target: PostgresStore;
  const kept = userFixture({ organizations: ['org-c'], teams: ['team-1'], grants: { customers: 'detail' }, settings: { warehouse: 'W1', priceCustomer: 'C-1' } });
  const gone = userFixture();
  const used = credentialFixture(kept.id, { lastUsedAt: '2026-02-09T08:07:06.543Z', lastUsedIp: '10.1.2.3' });
  const orphan = credentialFixture(gone.id);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sheetgate-copy-'));
    source = await openLowdbStore(dir, KEYS);
    await source.security.transaction(async (tx) => {
      await tx.insertOrganization({ id: 'org-p', name: 'Provider', kind: 'provider', parent: null, createdAt: at(1) });
      await tx.insertOrganization({ id: 'org-c', name: 'Client', kind: 'client', parent: 'org-p', createdAt: at(2) });
      await tx.insertTeam({ id: 'team-1', name: 'Sales', createdAt: at(1) });
      await tx.insertUser(kept);
      await tx.insertUser(gone);
      await tx.insertCredential(used);
      await tx.insertCredential(orphan);
      tx.audit(entry(1));
    });
    await source.security.transaction(async (tx) => {
      await tx.removeUser(gone.id);
      tx.audit(entry(3));
    });
    await source.audit.appendDurably(entry(2, 'invalid_credentials'));
    await source.rows.upsert('customers', 'Code', [{ Code: 'B', Organization: 'org-c' }, { Code: 10 }, { Code: 'A', Organization: 'org-p' }]);
    database = await createTestDatabase();
    target = await openTestStore(database.url);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('copies every entity as it is, a deleted user\'s credential and usage too, rows in key order and the audit log in order', async () => {
    // Organizations read back client first, so the copy must order them itself.
    const clientFirst = { ...source, security: Object.assign(Object.create(source.security), {
      listOrganizations: async () => [...(await source.security.listOrganizations())].reverse(),
    }) };
    const counts = await copyStore(clientFirst, target, { tables: KEYS });
    expect(counts).toEqual({ users: 1, organizations: 2, teams: 1, credentials: 2, rows: 3, tables: 2, audit: 3 });

    expect(await target.security.getUser(kept.id)).toEqual(kept);
    expect(await target.security.getUser(gone.id)).toBeUndefined();
    expect(await target.security.getCredential(used.id)).toEqual(used);
    expect(await target.security.findCredentialByToken(orphan.token)).toEqual(orphan);
    expect(await target.security.getOrganization('org-c')).toEqual(await source.security.getOrganization('org-c'));
    expect(await target.security.listTeams()).toEqual(await source.security.listTeams());
    const page = await target.rows.page('customers', { keyField: 'Code', limit: 10, scope: null });
    expect(page.rows).toEqual([...source.rows.list('customers')]);
    expect(await target.audit.list(10)).toEqual([entry(3), entry(2, 'invalid_credentials'), entry(1)]);
  });

  it('refuses a target that holds anything, before writing', async () => {
    const refused = await rejectionOf(copyStore(source, target, { tables: KEYS }));
    expect(refused).toBeInstanceOf(TargetNotEmptyError);
    expect(await target.audit.list(10)).toHaveLength(3);
  });

  it('maps every credential before anything is written: a throw leaves the target empty', async () => {
    const empty = await createTestDatabase();
    const store = await openTestStore(empty.url);
    try {
      const failed = await rejectionOf(copyStore(source, store, { tables: KEYS, credential: () => { throw new Error('wrong secret'); } }));
      expect((failed as Error).message).toBe('wrong secret');
      expect(await store.security.countUsers()).toBe(0);
      expect(await store.rows.count('customers')).toBe(0);
    } finally {
      await store.close();
      await empty.drop();
    }
  });
});
