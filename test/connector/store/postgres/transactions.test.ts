import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError, conflict } from '../../../../connector/errors';
import type { PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import type { AuditEntry, SecurityTransaction } from '../../../../connector/store/types';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';
import { credentialFixture, openTestStore, rejectionOf, userFixture } from './store-fixtures';

const entry = (action: string, target: string): AuditEntry => ({
  at: new Date().toISOString(),
  actor: 'cli',
  actorId: null,
  action,
  target,
  ip: null,
  outcome: 'ok',
});

describeWithPostgres('PostgreSQL transactions across store instances', () => {
  let database: TestDatabase;
  let first: PostgresStore;
  let second: PostgresStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    [first, second] = [await openTestStore(database.url), await openTestStore(database.url)];
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  it('the same username created at once on two instances: exactly one succeeds, the other is a 409 conflict', async () => {
    for (let round = 0; round < 10; round++) {
      const username = `same-${round}`;
      const results = await Promise.allSettled(
        [first, second].map((store, i) =>
          store.security.transaction(async (tx) => {
            // The check a service makes first; when both pass it at once, the database decides.
            if (await tx.findUserByUsername(username)) throw conflict('That username is already taken.');
            await tx.insertUser(userFixture({ username: i === 0 ? username : username.toUpperCase(), email: `${round}-${i}@example.com` }));
            tx.audit(entry('user.create', username));
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ApiError);
      expect(refused.reason).toMatchObject({ code: 'conflict' });
    }
    const audited = (await first.audit.list(100)).filter((e) => e.action === 'user.create');
    expect(audited).toHaveLength(10);
  });

  it('a change that throws leaves nothing behind, its audit entry included', async () => {
    const user = userFixture({ username: 'rolled-back' });
    const failure = new Error('changed my mind');
    const thrown = await rejectionOf(
      first.security.transaction(async (tx) => {
        await tx.insertUser(user);
        await tx.insertCredential(credentialFixture(user.id));
        tx.audit(entry('user.create', 'rolled-back'));
        throw failure;
      }),
    );
    expect(thrown).toBe(failure);
    expect(await second.security.getUser(user.id)).toBeUndefined();
    expect(await second.security.listCredentials(user.id)).toEqual([]);
    expect((await second.audit.list(1000)).some((e) => e.target === 'rolled-back')).toBe(false);
  });

  it('reads inside a transaction see its writes; others see them only after COMMIT', async () => {
    const user = userFixture({ username: 'inside' });
    const credential = credentialFixture(user.id);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const change = first.security.transaction(async (tx) => {
      await tx.insertUser(user);
      await tx.insertCredential(credential);
      await tx.patchUser(user.id, { teams: [], name: 'Inside' });
      expect((await tx.getUser(user.id))?.name).toBe('Inside');
      expect(await tx.findUserByUsername('INSIDE')).toMatchObject({ id: user.id });
      expect(await tx.findCredentialByToken(credential.token)).toEqual(credential);
      expect(await tx.listCredentials(user.id)).toEqual([credential]);
      written();
      await held;
    });
    await wrote;
    expect(await first.security.getUser(user.id)).toBeUndefined();
    expect(await second.security.findCredentialByToken(credential.token)).toBeUndefined();
    release();
    await change;
    expect((await second.security.getUser(user.id))?.name).toBe('Inside');
  });

  it('getUser in a transaction locks the user: a check-then-write cannot interleave across instances', async () => {
    const user = userFixture({ username: 'one-credential' });
    await first.security.transaction((tx) => tx.insertUser(user));
    // Each instance issues a credential only if the user has none yet: only one may.
    const issueIfNone = (store: PostgresStore) =>
      store.security.transaction(async (tx) => {
        await tx.getUser(user.id);
        const live = (await tx.listCredentials(user.id)).filter((c) => c.revokedAt === null);
        await new Promise((resolve) => setTimeout(resolve, 30)); // widen the window a race would need
        if (live.length > 0) return false;
        await tx.insertCredential(credentialFixture(user.id));
        return true;
      });
    const issued = await Promise.all([issueIfNone(first), issueIfNone(second), issueIfNone(first), issueIfNone(second)]);
    expect(issued.filter(Boolean)).toHaveLength(1);
    expect(await first.security.listCredentials(user.id)).toHaveLength(1);
  });

  it('200 concurrent transactions, each creating a user, all persist', async () => {
    const before = await first.security.countUsers();
    const users = Array.from({ length: 200 }, (_, i) => userFixture({ username: `many-${i}` }));
    await Promise.all(users.map((user, i) => (i % 2 ? first : second).security.transaction((tx) => tx.insertUser(user))));
    expect(await second.security.countUsers()).toBe(before + 200);
    const listed = new Set((await second.security.listUsers()).map((u) => u.username));
    expect(users.every((user) => listed.has(user.username))).toBe(true);
  });

  it('a transaction writes its audit entries with its change, in their order', async () => {
    const user = userFixture({ username: 'audited' });
    await first.security.transaction(async (tx) => {
      await tx.insertUser(user);
      tx.audit(entry('user.create', 'audited'));
      tx.audit(entry('access.grant', 'audited'));
    });
    const [newest, previous] = await second.audit.list(2);
    expect([newest.action, previous.action]).toEqual(['access.grant', 'user.create']);
  });

  it('a transaction object refuses use after its change returned (its client may serve another by then)', async () => {
    let leaked!: SecurityTransaction;
    await first.security.transaction(async (tx) => {
      leaked = tx;
    });
    expect(await rejectionOf(leaked.getUser('anyone'))).toMatchObject({ message: 'This transaction has ended.' });
    expect(() => leaked.audit(entry('user.create', 'late'))).toThrow(/ended/);
  });
});
