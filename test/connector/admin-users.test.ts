import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/harness';
import { expectError, expectJson, pairHeaders, systemAdmin, v1Status, type Caller } from '../helpers/http';

let ctx: TestContext;
let admin: Caller;
beforeEach(async () => {
  ctx = await createTestContext();
  admin = (await systemAdmin(ctx, 'root')).call;
});
afterEach(async () => {
  await ctx.close();
});

const newUser = (overrides: Record<string, unknown> = {}) => ({ username: 'alice', email: 'alice@example.com', kind: 'portal', ...overrides });

describe('POST /admin/users', () => {
  it('creates a user (201) with API access off: it has no pair, and cannot be given a credential yet', async () => {
    const created = await expectJson(
      await admin('POST', '/admin/users', newUser({ name: 'Alice', surname: 'Liddell', description: 'Analyst', kind: 'api' })),
      201,
    );
    expect(created).toMatchObject({
      username: 'alice',
      email: 'alice@example.com',
      name: 'Alice',
      surname: 'Liddell',
      description: 'Analyst',
      kind: 'api',
      roles: ['member'],
      active: true,
      apiAccess: { authorized: false },
      lastUsedAt: null,
    });
    expect(created.id).toEqual(expect.any(String));
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
    expect(JSON.stringify(created)).not.toMatch(/sgk_|sgt_/);

    const access = await expectJson(await admin('GET', `/admin/users/${created.id}/api-access`), 200);
    expect(access).toEqual({ authorized: false, credentials: [] });
    await expectError(await admin('POST', `/admin/users/${created.id}/credentials`, { name: 'laptop' }), 409, 'conflict');
  });

  it('refuses a second user with the same username or e-mail (409 conflict), case-insensitively', async () => {
    await expectJson(await admin('POST', '/admin/users', newUser()), 201);
    await expectError(await admin('POST', '/admin/users', newUser({ email: 'other@example.com' })), 409, 'conflict');
    await expectError(await admin('POST', '/admin/users', newUser({ username: 'ALICE', email: 'other@example.com' })), 409, 'conflict');
    await expectError(await admin('POST', '/admin/users', newUser({ username: 'bob' })), 409, 'conflict');
    await expectError(await admin('POST', '/admin/users', newUser({ username: 'bob', email: 'Alice@Example.com' })), 409, 'conflict');
    const { users } = await expectJson(await admin('GET', '/admin/users'), 200);
    expect(users.filter((u: { email: string }) => u.email.toLowerCase() === 'alice@example.com')).toHaveLength(1);
  });

  it.each([
    ['username', newUser({ username: undefined })],
    ['email', newUser({ email: 'not-an-address' })],
    ['kind', newUser({ kind: 'robot' })],
    ['roles', newUser({ roles: ['owner'] })],
    ['username', newUser({ username: 42 })],
    ['allowedIps', newUser({ allowedIps: '10.0.0.1' })],
  ])('refuses a bad body with 400 invalid_request naming the field "%s"', async (field, body) => {
    const error = await expectError(await admin('POST', '/admin/users', body), 400, 'invalid_request');
    expect(error.error.message).toContain(field);
  });

  it('refuses an unknown organization or team, and a bad allowed IP, naming the field', async () => {
    for (const [field, extra] of [
      ['organizations', { organizations: ['no-such-org'] }],
      ['teams', { teams: ['no-such-team'] }],
      ['allowedIps', { allowedIps: ['10.0.0.0/33'] }],
    ] as const) {
      const error = await expectError(await admin('POST', '/admin/users', newUser(extra)), 400, 'invalid_request');
      expect(error.error.message).toContain(field);
    }
  });
});

describe('GET /admin/users and /admin/users/:id', () => {
  it('lists users with apiAccess.authorized, active and lastUsedAt, and reports use of a credential', async () => {
    const alice = await ctx.createUser({ username: 'alice' });
    const bob = await ctx.createUser({ username: 'bob', authorized: false });
    const { users } = await expectJson(await admin('GET', '/admin/users'), 200);
    const byName = Object.fromEntries(users.map((u: { username: string }) => [u.username, u]));
    expect(Object.keys(byName).sort()).toEqual(['alice', 'bob', 'root']);
    expect(byName.alice).toMatchObject({ id: alice.user.id, apiAccess: { authorized: true }, active: true, lastUsedAt: null });
    expect(byName.bob).toMatchObject({ id: bob.user.id, apiAccess: { authorized: false }, active: true, lastUsedAt: null });
    for (const user of users) expect(user).not.toHaveProperty('apiAuthorized');

    expect(await v1Status(ctx, alice)).toBe(200);
    const one = await expectJson(await admin('GET', `/admin/users/${alice.user.id}`), 200);
    expect(one.username).toBe('alice');
    expect(new Date(one.lastUsedAt).toISOString()).toBe(one.lastUsedAt);
  });

  it('pages by username (default 100) with an opaque cursor, every user exactly once', async () => {
    for (let i = 0; i < 104; i++) await ctx.createUser({ username: `u${String(i).padStart(3, '0')}`, authorized: false });
    const first = await expectJson(await admin('GET', '/admin/users'), 200);
    expect(first.users).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await expectJson(await admin('GET', `/admin/users?cursor=${first.nextCursor}`), 200);
    expect(second.nextCursor).toBeNull();
    const names = [...first.users, ...second.users].map((u: { username: string }) => u.username);
    expect(names).toHaveLength(105);
    expect(new Set(names).size).toBe(105);
    expect(names).toEqual([...names].sort());

    const small = await expectJson(await admin('GET', '/admin/users?limit=2'), 200);
    expect(small.users.map((u: { username: string }) => u.username)).toEqual(['root', 'u000'].sort());
  });

  it('searches username, e-mail, name and surname case-insensitively (q), and a cursor is bound to its q', async () => {
    await admin('POST', '/admin/users', newUser({ username: 'alice', email: 'alice@wonder.example', name: 'Alice', surname: 'Liddell' }));
    await admin('POST', '/admin/users', newUser({ username: 'bob', email: 'bob@builder.example', name: 'Robert', surname: 'WONDERS' }));
    await admin('POST', '/admin/users', newUser({ username: 'carol', email: 'carol@example.com', name: 'Carol', surname: 'Danvers' }));
    const search = async (q: string) =>
      (await expectJson(await admin('GET', `/admin/users?q=${encodeURIComponent(q)}`), 200)).users.map((u: { username: string }) => u.username);
    expect(await search('WONDER')).toEqual(['alice', 'bob']);
    expect(await search('liddell')).toEqual(['alice']);
    expect(await search('robert')).toEqual(['bob']);
    expect(await search('CAROL@')).toEqual(['carol']);
    expect(await search('nobody')).toEqual([]);

    const page = await expectJson(await admin('GET', '/admin/users?q=wonder&limit=1'), 200);
    expect(page.users.map((u: { username: string }) => u.username)).toEqual(['alice']);
    const next = await expectJson(await admin('GET', `/admin/users?q=wonder&limit=1&cursor=${page.nextCursor}`), 200);
    expect(next).toMatchObject({ users: [{ username: 'bob' }], nextCursor: null });
    await expectError(await admin('GET', `/admin/users?q=carol&cursor=${page.nextCursor}`), 400, 'invalid_request');
  });

  it('refuses a bad limit or cursor with 400 invalid_request naming the field', async () => {
    for (const bad of ['0', '1001', 'abc', '-1', '2.5']) {
      const error = await expectError(await admin('GET', `/admin/users?limit=${bad}`), 400, 'invalid_request');
      expect(error.error.message).toContain('limit');
    }
    const auditCursor = Buffer.from(JSON.stringify({ v: 1, l: 'audit', f: '', p: 'x' })).toString('base64url');
    for (const bad of ['nonsense!', 'eyJ2IjoxfQ', auditCursor]) {
      const error = await expectError(await admin('GET', `/admin/users?cursor=${bad}`), 400, 'invalid_request');
      expect(error.error.message).toContain('cursor');
    }
  });

  it('answers 404 not_found for an unknown user id', async () => {
    await expectError(await admin('GET', '/admin/users/no-such-user'), 404, 'not_found');
  });
});

describe('PATCH /admin/users/:id', () => {
  it('changes profile, active, roles, organizations, teams and allowedIps, and reads back the change', async () => {
    const alice = await ctx.createUser({ username: 'alice' });
    const org = await ctx.createOrganization('Acme', 'provider');
    const team = await ctx.createTeam('North');
    const changes = {
      username: 'alice2',
      email: 'alice2@example.com',
      name: 'Alice',
      surname: 'Liddell',
      description: 'Moved to finance',
      active: false,
      roles: ['portal-admin'],
      organizations: [org.id],
      teams: [team.id],
      allowedIps: ['10.0.0.0/8', '2001:db8::1', '192.0.2.7'],
    };
    const patched = await expectJson(await admin('PATCH', `/admin/users/${alice.user.id}`, changes), 200);
    expect(patched).toMatchObject(changes);
    expect(await expectJson(await admin('GET', `/admin/users/${alice.user.id}`), 200)).toMatchObject(changes);

    const back = await expectJson(await admin('PATCH', `/admin/users/${alice.user.id}`, { active: true, allowedIps: [] }), 200);
    expect(back).toMatchObject({ active: true, allowedIps: [], username: 'alice2' });
  });

  it('refuses a bad CIDR range or IP address with 400 naming allowedIps, changing nothing', async () => {
    const alice = await ctx.createUser({ allowedIps: ['192.0.2.0/24'] });
    for (const bad of ['10.0.0.0/33', '300.1.2.3', '2001:db8::/129', 'example.com', '10.0.0.1/8/1']) {
      const error = await expectError(
        await admin('PATCH', `/admin/users/${alice.user.id}`, { allowedIps: ['10.0.0.1', bad] }),
        400,
        'invalid_request',
      );
      expect(error.error.message).toContain('allowedIps');
    }
    expect((await expectJson(await admin('GET', `/admin/users/${alice.user.id}`), 200)).allowedIps).toEqual(['192.0.2.0/24']);
  });

  it('refuses a username or e-mail taken by another user (409 conflict)', async () => {
    await ctx.createUser({ username: 'alice' });
    const bob = await ctx.createUser({ username: 'bob' });
    await expectError(await admin('PATCH', `/admin/users/${bob.user.id}`, { username: 'alice' }), 409, 'conflict');
    await expectError(await admin('PATCH', `/admin/users/${bob.user.id}`, { email: 'alice@example.com' }), 409, 'conflict');
    expect((await expectJson(await admin('GET', `/admin/users/${bob.user.id}`), 200)).username).toBe('bob');
  });

  it('refuses a field of the wrong type with 400 naming the field', async () => {
    const alice = await ctx.createUser();
    const error = await expectError(await admin('PATCH', `/admin/users/${alice.user.id}`, { active: 'no' }), 400, 'invalid_request');
    expect(error.error.message).toContain('active');
  });
});

describe('DELETE /admin/users/:id', () => {
  it('answers 204 and every credential of the user stops working at once', async () => {
    const alice = await ctx.createUser();
    const second = await expectJson(await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: 'laptop' }), 201);
    expect(await v1Status(ctx, alice)).toBe(200);
    expect(await v1Status(ctx, second)).toBe(200);

    const deleted = await admin('DELETE', `/admin/users/${alice.user.id}`);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    for (const pair of [alice, second]) {
      await expectError(await ctx.request('GET', '/v1/me', { headers: pairHeaders(pair) }), 401, 'credentials_revoked');
    }
    await expectError(await admin('GET', `/admin/users/${alice.user.id}`), 404, 'not_found');
    await expectError(await admin('DELETE', `/admin/users/${alice.user.id}`), 404, 'not_found');
  });
});
