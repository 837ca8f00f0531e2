import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Logger } from '../../../../connector/logger';
import type { PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import { openPostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import { PostgresAuditLog } from '../../../../connector/store/postgres/audit-log';
import type { AuditEntry } from '../../../../connector/store/types';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';
import { TABLES } from './store-fixtures';

const refusal = (n: number): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(),
  actor: 'anonymous',
  actorId: null,
  action: 'auth.refused',
  target: `t${n}`,
  ip: '203.0.113.7',
  outcome: 'invalid_credentials',
});

describeWithPostgres('PostgreSQL audit log', () => {
  let database: TestDatabase;
  let store: PostgresStore;
  const logged: Array<{ event: string; fields?: Record<string, unknown> }> = [];
  const log: Logger = { info() {}, warn() {}, error: (event, fields) => logged.push({ event, fields }) };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openPostgresStore(database.url, { tables: TABLES, log });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('appends outside a transaction, and lists newest first up to the limit', async () => {
    for (let n = 1; n <= 5; n++) store.audit.append(refusal(n));
    await store.audit.flush();
    for (let n = 6; n <= 8; n++) store.audit.append(refusal(n));
    await store.audit.flush();
    expect(await store.audit.list(3)).toEqual([refusal(8), refusal(7), refusal(6)]);
    expect((await store.audit.list(100)).map((e) => e.target)).toEqual(['t8', 't7', 't6', 't5', 't4', 't3', 't2', 't1']);
  });

  it('a failed append is logged, never thrown, and later entries are still written', async () => {
    store.audit.append({ ...refusal(9), at: 'not a time' });
    await store.audit.flush();
    expect(logged).toEqual([{ event: 'audit_write_failed', fields: { count: 1, message: expect.any(String) } }]);
    expect(JSON.stringify(logged)).not.toContain('203.0.113.7');
    store.audit.append(refusal(10));
    await store.audit.flush();
    expect((await store.audit.list(1))[0]).toEqual(refusal(10));
  });

  it('close waits for pending appends', async () => {
    const other = await openPostgresStore(database.url, { tables: TABLES });
    other.audit.append(refusal(11));
    await other.close();
    expect((await store.audit.list(1))[0]).toEqual(refusal(11));
  });

  it('keeps the newest refusals only (the retention), and every admin action', async () => {
    const pruning = new PostgresAuditLog(store.pool, log, { kept: 5, pruneEvery: 3 });
    const action = (n: number): AuditEntry => ({ ...refusal(n), action: 'user.create', outcome: 'ok' });
    pruning.append(action(100));
    for (let n = 101; n <= 112; n++) pruning.append(refusal(n));
    pruning.append(action(113));
    await pruning.flush();
    const left = await store.audit.list(1000);
    expect(left.filter((entry) => entry.outcome !== 'ok').map((entry) => entry.target)).toEqual(['t112', 't111', 't110', 't109', 't108']);
    expect(left.filter((entry) => entry.outcome === 'ok').map((entry) => entry.target)).toEqual(['t113', 't100']);
    // Fewer refusals written than pruneEvery since: nothing more is pruned yet.
    pruning.append(refusal(114));
    await pruning.flush();
    expect((await store.audit.list(1000)).filter((entry) => entry.outcome !== 'ok')).toHaveLength(6);
  });

  it("a change's entries travel with its COMMIT, any text as written; an entry that fails takes the change with it", async () => {
    const tricky: AuditEntry = { ...refusal(20), actor: `O'Brien \\ "x" é 😀 $1 ; COMMIT`, target: "'); DROP TABLE audit; --", outcome: 'ok' };
    const createdAt = '2026-01-01T00:00:00.000Z';
    await store.security.transaction(async (tx) => {
      await tx.insertTeam({ id: 'team-a', name: 'Team A', createdAt });
      tx.audit(tricky);
      tx.audit(refusal(21));
    });
    expect(await store.audit.list(2)).toEqual([refusal(21), tricky]);
    const failing = store.security.transaction(async (tx) => {
      await tx.insertTeam({ id: 'team-b', name: 'Team B', createdAt });
      tx.audit({ ...refusal(22), at: 'not a time' });
    });
    await expect(failing).rejects.toThrow();
    expect(await store.security.getTeam('team-b')).toBeUndefined();
    expect((await store.security.getTeam('team-a'))?.name).toBe('Team A');
    expect((await store.audit.list(1))[0]).toEqual(refusal(21));
  });
});
