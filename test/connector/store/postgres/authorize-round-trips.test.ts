import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { authorize } from '../../../../connector/credentials/lifecycle';
import { silentLogger } from '../../../../connector/logger';
import { CLI_ACTOR } from '../../../../connector/security/actor';
import { createUser } from '../../../../connector/security/users';
import { openServices, type OpenedServices } from '../../../../connector/services';
import { TEST_SECRET } from '../../../helpers/harness';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';

// An admin's authorize on PostgreSQL (issue 13 row 6): each statement is a round trip on the
// request's path, so their number is what the latency is made of.

describeWithPostgres('authorize on PostgreSQL', () => {
  let database: TestDatabase;
  let services: OpenedServices;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: true });
    services = await openServices({ dataDir: '', databaseUrl: database.url, secret: TEST_SECRET, log: silentLogger, config: { maxCredentialsPerUser: 3 } });
  });
  afterAll(async () => {
    await services?.close();
    await database?.drop();
  });

  it('is five round trips: BEGIN, the user locked, the flag written and read back, the credential under the cap, the audit entry with COMMIT', async () => {
    const user = await createUser(services, CLI_ACTOR, { username: 'trips', email: 'trips@example.com', kind: 'api' });
    // Every statement goes through a pg Client's query(): the spy records them and calls through.
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    let issued;
    let sent: string[];
    try {
      issued = await authorize(services, CLI_ACTOR, user.id);
    } finally {
      sent = spy.mock.calls.map(([config]) => (typeof config === 'string' ? config : (config as { text: string }).text));
      spy.mockRestore();
    }
    expect(sent.map((text) => text.trim().split(/\s+/)[0])).toEqual(['BEGIN', 'SELECT', 'WITH', 'WITH', 'INSERT']);
    expect(sent[4]).toMatch(/^INSERT INTO audit[\s\S]*; COMMIT$/);
    const audit = await services.store.audit.list(1);
    expect(audit[0]).toMatchObject({ action: `api-access.authorize credential=${issued.id}`, target: 'trips', outcome: 'ok' });
    expect((await services.store.security.findCredentialByToken(issued.token))?.userId).toBe(user.id);
  });

  it('the cap on live credentials holds with authorizations racing, and a refused one leaves no trace', async () => {
    const user = await createUser(services, CLI_ACTOR, { username: 'capped', email: 'capped@example.com', kind: 'api' });
    await authorize(services, CLI_ACTOR, user.id);
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => authorize(services, CLI_ACTOR, user.id)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as Error).message).toBe('This user already has 3 live credentials, the most allowed; revoke one first.');
    }
    expect(await services.store.security.listCredentials(user.id)).toHaveLength(3);
    const entries = (await services.store.audit.page({ target: 'capped', action: 'api-access.' }, 100, null)).entries;
    expect(entries).toHaveLength(3);
  });
});
