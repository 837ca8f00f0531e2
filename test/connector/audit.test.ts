import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../connector/store/types';
import { capturingLogger, createTestContext, type TestContext, STILL_CLOCK, type TestUser } from '../helpers/harness';
import { callerWith, expectError, expectJson, pairHeaders, ISO_TIME, type Caller } from '../helpers/http';

let ctx: TestContext;
let root: TestUser;
let admin: Caller;
let log: ReturnType<typeof capturingLogger>;
beforeEach(async () => {
  log = capturingLogger();
  ctx = await createTestContext({}, undefined, log);
  root = await ctx.createUser({ username: 'root', roles: ['system-admin'] });
  admin = callerWith(ctx, root.headers);
});
afterEach(async () => {
  await ctx.close();
});

async function audit(limit = 1000): Promise<AuditEntry[]> {
  return (await expectJson<{ entries: AuditEntry[] }>(await admin('GET', `/admin/audit?limit=${limit}`), 200)).entries;
}

describe('GET /admin/audit', () => {
  it('lists admin actions newest first with who, what, target, when and from which IP', async () => {
    const remote = '203.0.113.9';
    await admin('POST', '/admin/users', { username: 'alice', email: 'alice@example.com', kind: 'portal' }, remote);
    await admin('POST', '/admin/teams', { name: 'North' });

    const entries = await audit();
    expect(entries[0]).toMatchObject({ actor: 'root', actorId: root.user.id, action: 'team.create', target: 'North', ip: '127.0.0.1', outcome: 'ok' });
    expect(entries[1]).toMatchObject({ actor: 'root', actorId: root.user.id, action: 'user.create', target: 'alice', ip: remote, outcome: 'ok' });
    for (const entry of entries) expect(entry.at).toMatch(ISO_TIME);
    const times = entries.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('honours ?limit= and refuses a bad limit with 400', async () => {
    for (const name of ['a', 'b', 'c']) await admin('POST', '/admin/teams', { name });
    const two = await audit(2);
    expect(two.map((entry) => entry.target)).toEqual(['c', 'b']);
    for (const bad of ['0', 'abc', '-1']) {
      const error = await expectError(await admin('GET', `/admin/audit?limit=${bad}`), 400, 'invalid_request');
      expect(error.error.message).toContain('limit');
    }
  });

  it('pages newest first with a cursor, every entry exactly once, while new entries arrive', async () => {
    for (let i = 0; i < 7; i++) await admin('POST', '/admin/teams', { name: `t${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `/admin/audit?limit=3&action=team.create${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { entries: AuditEntry[]; nextCursor: string | null } = await expectJson(await admin('GET', query), 200);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((entry) => entry.target ?? ''));
      cursor = page.nextCursor;
      await admin('POST', '/admin/teams', { name: `late${seen.length}` }); // lands before the cursor, never in a later page
    } while (cursor);
    expect(seen).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
  });

  it('filters by actor, action (exact, or a prefix ending in "."), target and outcome', async () => {
    const created = await expectJson(await admin('POST', '/admin/users', { username: 'alice', email: 'alice@example.com', kind: 'api' }), 201);
    await admin('PUT', `/admin/users/${created.id}/api-access`, { authorized: true });
    await admin('POST', '/admin/teams', { name: 'North' });
    const member = await ctx.createUser({ username: 'mia' });
    await ctx.request('GET', '/admin/users', { headers: member.headers });
    const list = async (query: string) => (await expectJson<{ entries: AuditEntry[] }>(await admin('GET', `/admin/audit?${query}`), 200)).entries;

    // Users the test harness makes are the operator's (`cli`) doing: audited too, so filter by actor.
    expect((await list('action=user.create&actor=root')).map((entry) => entry.target)).toEqual(['alice']);
    expect((await list('action=user.&actor=root')).map((entry) => entry.action)).toEqual(['user.create']);
    expect(await list('action=user')).toEqual([]); // no dot: exact only
    expect((await list('target=North')).map((entry) => entry.action)).toEqual(['team.create']);
    expect((await list('actor=mia')).map((entry) => entry.outcome)).toEqual(['forbidden']);
    expect((await list('outcome=forbidden&actor=root'))).toEqual([]);
    const byRoot = await list('actor=root&outcome=ok');
    expect(byRoot.length).toBeGreaterThanOrEqual(3);
    for (const entry of byRoot) expect(entry).toMatchObject({ actor: 'root', outcome: 'ok' });
  });

  it('refuses a cursor reused with other filters, or a forged one, with 400 invalid_request', async () => {
    for (const name of ['a', 'b', 'c']) await admin('POST', '/admin/teams', { name });
    const page = await expectJson(await admin('GET', '/admin/audit?limit=1&action=team.create'), 200);
    expect(page.nextCursor).toEqual(expect.any(String));
    await expectError(await admin('GET', `/admin/audit?limit=1&cursor=${page.nextCursor}`), 400, 'invalid_request');
    await expectError(await admin('GET', '/admin/audit?cursor=%7B%7D'), 400, 'invalid_request');
    const error = await expectError(await admin('GET', '/admin/audit?actor='), 400, 'invalid_request');
    expect(error.error.message).toContain('actor');
  });

  it('records refused requests with their code, the caller if known, and the IP', async () => {
    const member = await ctx.createUser({ username: 'mia' });
    await ctx.request('GET', '/v1/me', { headers: { ...member.headers, 'X-Api-Key': root.key }, ip: '198.51.100.4' });
    await ctx.request('GET', '/admin/users', { headers: member.headers });
    await ctx.request('GET', '/v1/me');

    const entries = await audit();
    // A known token with a wrong key: the token's user is named (the key never is).
    expect(entries.find((entry) => entry.outcome === 'invalid_credentials')).toMatchObject({ actor: 'mia', actorId: member.user.id, ip: '198.51.100.4', target: '/v1/me' });
    expect(entries.find((entry) => entry.outcome === 'forbidden')).toMatchObject({ actor: 'mia', actorId: member.user.id, target: '/admin/users' });
    expect(entries.find((entry) => entry.outcome === 'missing_credentials')).toMatchObject({ actor: 'anonymous', target: '/v1/me' });
  });

  it("names a known token's user on every refusal it carries (wrong key, revoked, rate limited, admin route), never a key", async () => {
    const limited = await createTestContext({ rateLimit: { requests: 1, windowSeconds: 60 } }, STILL_CLOCK);
    try {
      const mia = await limited.createUser({ username: 'mia' });
      const other = await limited.createUser({ username: 'other' });
      const unknownToken = `${mia.token.slice(0, -8)}AAAAAAAA`;
      await limited.request('GET', '/v1/me', { headers: mia.headers });
      await limited.request('GET', '/v1/me', { headers: mia.headers }); // over the limit of 1
      await limited.request('GET', '/admin/users', { headers: { ...mia.headers, 'X-Api-Key': other.key } }); // wrong key
      await limited.request('GET', '/v1/me', { headers: { ...other.headers, 'X-Api-Token': unknownToken } });
      await limited.services.store.security.transaction(async (draft) => draft.patchCredential(other.credentialId, { revokedAt: new Date().toISOString() }));
      await limited.request('GET', '/v1/tables', { headers: other.headers });

      const entries = await limited.services.store.audit.list(100);
      const refused = (outcome: string) => entries.filter((entry) => entry.outcome === outcome).map(({ actor, actorId, target }) => ({ actor, actorId, target }));
      expect(refused('rate_limited')).toEqual([{ actor: 'mia', actorId: mia.user.id, target: '/v1/me' }]);
      expect(refused('credentials_revoked')).toEqual([{ actor: 'other', actorId: other.user.id, target: '/v1/tables' }]);
      // A token nobody holds names no one.
      expect(refused('invalid_credentials')).toEqual([
        { actor: 'anonymous', actorId: null, target: '/v1/me' },
        { actor: 'mia', actorId: mia.user.id, target: '/admin/users' },
      ]);
      expect(JSON.stringify(entries)).not.toContain(other.key.slice(4));
      expect(JSON.stringify(entries)).not.toContain(mia.key.slice(4));
    } finally {
      await limited.close();
    }
  });

  it('is for system admins: a portal admin gets 403 forbidden', async () => {
    const org = await ctx.createOrganization('Acme', 'provider');
    const portalAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: [org.id] });
    await expectError(await ctx.request('GET', '/admin/audit', { headers: portalAdmin.headers }), 403, 'forbidden');
  });

  it('never holds a key, in the API, on disk or in a log line, after a full credential workflow', async () => {
    const keys: string[] = [root.key];
    const created = await expectJson(await admin('POST', '/admin/users', { username: 'alice', email: 'alice@example.com', kind: 'api' }), 201);
    const base = `/admin/users/${created.id}`;
    const first = (await expectJson(await admin('PUT', `${base}/api-access`, { authorized: true }), 200)).credential;
    const second = await expectJson(await admin('POST', `${base}/credentials`, { name: 'laptop', expiresInSeconds: 600 }), 201);
    const copied = await expectJson(await admin('GET', `${base}/credentials/${first.id}/key`), 200);
    const regenerated = await expectJson(await admin('POST', `${base}/credentials/${first.id}/regenerate`), 200);
    keys.push(first.key, second.key, copied.key, regenerated.key);

    await ctx.request('GET', '/v1/me', { headers: pairHeaders(first) }); // old key after regenerate: refused
    await ctx.request('GET', '/v1/me', { headers: pairHeaders(regenerated) });
    await ctx.request('GET', `/v1/tables/${second.key}`, { headers: pairHeaders(second) }); // a key pasted into a path
    await ctx.request('GET', `/admin/users/${regenerated.key}`, { headers: pairHeaders(regenerated) });
    await ctx.request('GET', `/v1/me?note=${second.key}`, { headers: pairHeaders(second) }); // and into a query
    await admin('DELETE', `${base}/credentials/${second.id}`);
    await admin('PUT', `${base}/api-access`, { authorized: false });
    await admin('DELETE', base);

    const entries = await audit();
    const actions = entries.map((entry) => entry.action).join('\n');
    for (const action of ['user.create', 'api-access.authorize', 'credential.issue', 'credential.copy-key', 'credential.regenerate', 'credential.revoke', 'api-access.deauthorize', 'user.delete']) {
      expect(actions).toContain(action);
    }
    expect(entries.some((entry) => entry.outcome === 'invalid_credentials')).toBe(true);
    expect(entries.some((entry) => entry.outcome === 'credentials_in_query')).toBe(true);

    await ctx.services.store.audit.flush();
    const onDisk = await Promise.all((await readdir(ctx.dataDir, { recursive: true })).map((file) => readFile(join(ctx.dataDir, file)).catch(() => Buffer.alloc(0))));
    expect(log.lines.length).toBeGreaterThan(10);
    const texts = { api: JSON.stringify(entries), disk: Buffer.concat(onDisk).toString('latin1'), log: log.lines.join('\n') };
    for (const [where, text] of Object.entries(texts)) {
      for (const key of keys) expect(text, `${where} holds a key`).not.toContain(key);
      for (const key of keys) expect(text, `${where} holds a key body`).not.toContain(key.slice(4));
      expect(text.match(/sgk_(?!\[redacted\])/g), `${where} holds an sgk_ value`).toBeNull();
    }
    expect(texts.api).not.toMatch(/keyDigest|keyCiphertext/);
  });
});
