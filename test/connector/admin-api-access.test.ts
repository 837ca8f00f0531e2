import { describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/harness';
import { expectError, expectJson, pairHeaders, withAdminContext, v1Status, ISO_TIME, type Caller } from '../helpers/http';

let ctx: TestContext;
let admin: Caller;
withAdminContext((context, caller) => {
  ctx = context;
  admin = caller;
});

async function newUserId(): Promise<string> {
  return (await ctx.createUser({ authorized: false })).user.id;
}

async function authorize(id: string) {
  const response = await admin('PUT', `/admin/users/${id}/api-access`, { authorized: true });
  return expectJson(response, 200);
}

describe('PUT /admin/users/:id/api-access', () => {
  it('authorizing answers 200 with a NEW working pair every time', async () => {
    const id = await newUserId();
    const first = await authorize(id);
    expect(first).toEqual({
      authorized: true,
      credential: { id: expect.any(String), token: expect.stringMatching(/^sgt_/), key: expect.stringMatching(/^sgk_/), name: expect.any(String), createdAt: expect.stringMatching(ISO_TIME), expiresAt: null },
    });
    const second = await authorize(id);
    expect(second.credential.id).not.toBe(first.credential.id);
    expect(second.credential.token).not.toBe(first.credential.token);
    expect(second.credential.key).not.toBe(first.credential.key);
    expect(await v1Status(ctx, second.credential)).toBe(200);
    expect((await expectJson(await admin('GET', `/admin/users/${id}`), 200)).apiAccess).toEqual({ authorized: true });
  });

  it('de-authorizing answers {authorized: false} and revokes every credential at once; re-authorizing issues a new pair', async () => {
    const id = await newUserId();
    const first = (await authorize(id)).credential;
    const further = await expectJson(await admin('POST', `/admin/users/${id}/credentials`, { name: 'laptop' }), 201);

    expect(await expectJson(await admin('PUT', `/admin/users/${id}/api-access`, { authorized: false }), 200)).toEqual({ authorized: false });
    for (const pair of [first, further]) {
      await expectError(await ctx.request('GET', '/v1/me', { headers: pairHeaders(pair) }), 401, 'credentials_revoked');
    }
    const access = await expectJson(await admin('GET', `/admin/users/${id}/api-access`), 200);
    expect(access.authorized).toBe(false);
    expect(access.credentials.map((c: { revokedAt: string | null }) => c.revokedAt)).toEqual([expect.stringMatching(ISO_TIME), expect.stringMatching(ISO_TIME)]);

    const again = (await authorize(id)).credential;
    expect(await v1Status(ctx, again)).toBe(200);
    await expectError(await ctx.request('GET', '/v1/me', { headers: pairHeaders(first) }), 401, 'credentials_revoked');
  });

  it('refuses a body without a boolean "authorized" (400 naming the field) and an unknown user (404)', async () => {
    const id = await newUserId();
    const error = await expectError(await admin('PUT', `/admin/users/${id}/api-access`, { authorized: 'yes' }), 400, 'invalid_request');
    expect(error.error.message).toContain('authorized');
    await expectError(await admin('PUT', '/admin/users/nobody/api-access', { authorized: true }), 404, 'not_found');
  });
});

describe('GET /admin/users/:id/api-access', () => {
  it('lists every credential with its public fields and usage, and never a key or its stored forms', async () => {
    const id = await newUserId();
    const first = (await authorize(id)).credential;
    const second = await expectJson(await admin('POST', `/admin/users/${id}/credentials`, { name: 'laptop' }), 201);
    expect(await v1Status(ctx, first)).toBe(200);

    const response = await admin('GET', `/admin/users/${id}/api-access`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    for (const secret of [first.key, second.key, 'sgk_', 'keyDigest', 'keyCiphertext', '"key"']) expect(text).not.toContain(secret);

    const access = JSON.parse(text);
    expect(access.authorized).toBe(true);
    const byToken = Object.fromEntries(access.credentials.map((c: { token: string }) => [c.token, c]));
    expect(Object.keys(byToken).sort()).toEqual([first.token, second.token].sort());
    expect(Object.keys(byToken[first.token]).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'lastUsedIp', 'name', 'revokedAt', 'token'].sort(),
    );
    expect(byToken[first.token]).toMatchObject({ id: first.id, lastUsedAt: expect.stringMatching(ISO_TIME), lastUsedIp: '127.0.0.1', revokedAt: null });
    expect(byToken[second.token]).toMatchObject({ id: second.id, name: 'laptop', lastUsedAt: null, lastUsedIp: null, revokedAt: null });
  });
});

describe('POST /admin/users/:id/credentials', () => {
  it('issues a further named credential (201 with its key) that works alongside the first', async () => {
    const id = await newUserId();
    const first = (await authorize(id)).credential;
    const response = await admin('POST', `/admin/users/${id}/credentials`, { name: 'reporting script' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    const issued = await expectJson(response, 201);
    expect(issued).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^sgt_/),
      key: expect.stringMatching(/^sgk_/),
      name: 'reporting script',
      createdAt: expect.stringMatching(ISO_TIME),
      expiresAt: null,
    });
    expect(await v1Status(ctx, issued)).toBe(200);
    expect(await v1Status(ctx, first)).toBe(200);
  });

  it('sets expiresAt from expiresInSeconds', async () => {
    const id = await newUserId();
    await authorize(id);
    const issued = await expectJson(await admin('POST', `/admin/users/${id}/credentials`, { name: 'temp', expiresInSeconds: 3600 }), 201);
    expect(Date.parse(issued.expiresAt) - Date.parse(issued.createdAt)).toBe(3600 * 1000);
    expect(await v1Status(ctx, issued)).toBe(200);
  });

  it('answers 409 conflict while API access is off, and 400 for a bad name or validity', async () => {
    const id = await newUserId();
    await expectError(await admin('POST', `/admin/users/${id}/credentials`, { name: 'laptop' }), 409, 'conflict');
    await authorize(id);
    for (const [field, body] of [
      ['name', {}],
      ['expiresInSeconds', { name: 'x', expiresInSeconds: -5 }],
      ['expiresInSeconds', { name: 'x', expiresInSeconds: 'soon' }],
    ] as const) {
      const error = await expectError(await admin('POST', `/admin/users/${id}/credentials`, body), 400, 'invalid_request');
      expect(error.error.message).toContain(field);
    }
  });
});

describe('GET /admin/users/:id/credentials/:cid/key', () => {
  it('returns the same token and key, which work, with no-store; a revoked credential has no key to copy', async () => {
    const id = await newUserId();
    const credential = (await authorize(id)).credential;
    const response = await admin('GET', `/admin/users/${id}/credentials/${credential.id}/key`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const copy = await expectJson(response, 200);
    expect(copy).toEqual({ token: credential.token, key: credential.key });
    expect(await v1Status(ctx, copy)).toBe(200);

    await admin('DELETE', `/admin/users/${id}/credentials/${credential.id}`);
    const after = await admin('GET', `/admin/users/${id}/credentials/${credential.id}/key`);
    expect(after.status).toBe(409);
    expect(await after.text()).not.toContain(credential.key);
  });

  it('is audited, naming the credential, without the key', async () => {
    const id = await newUserId();
    const credential = (await authorize(id)).credential;
    await expectJson(await admin('GET', `/admin/users/${id}/credentials/${credential.id}/key`), 200);
    const { entries } = await expectJson(await admin('GET', '/admin/audit?limit=5'), 200);
    const copyEntry = entries.find((entry: { action: string }) => /copy-key/.test(entry.action));
    expect(copyEntry).toBeDefined();
    expect(JSON.stringify(copyEntry)).toContain(credential.id);
    expect(JSON.stringify(entries)).not.toContain(credential.key);
  });

  it('answers 404 for a credential of another user', async () => {
    const alice = await ctx.createUser();
    const bob = await ctx.createUser();
    await expectError(await admin('GET', `/admin/users/${bob.user.id}/credentials/${alice.credentialId}/key`), 404, 'not_found');
  });
});

describe('POST /admin/users/:id/credentials/:cid/regenerate', () => {
  it('keeps the token, the old key is invalid_credentials at once, the new key works and is what copy returns', async () => {
    const alice = await ctx.createUser();
    const regenerated = await expectJson(
      await admin('POST', `/admin/users/${alice.user.id}/credentials/${alice.credentialId}/regenerate`),
      200,
    );
    expect(regenerated).toEqual({ token: alice.token, key: expect.stringMatching(/^sgk_/) });
    expect(regenerated.key).not.toBe(alice.key);
    await expectError(await ctx.request('GET', '/v1/me', { headers: alice.headers }), 401, 'invalid_credentials');
    expect(await v1Status(ctx, regenerated)).toBe(200);
    const copy = await expectJson(await admin('GET', `/admin/users/${alice.user.id}/credentials/${alice.credentialId}/key`), 200);
    expect(copy.key).toBe(regenerated.key);
  });
});

describe('DELETE /admin/users/:id/credentials/:cid', () => {
  it('answers 204 and that credential (only) is credentials_revoked from the next request', async () => {
    const alice = await ctx.createUser();
    const other = await expectJson(await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: 'other' }), 201);
    const response = await admin('DELETE', `/admin/users/${alice.user.id}/credentials/${alice.credentialId}`);
    expect(response.status).toBe(204);
    await expectError(await ctx.request('GET', '/v1/me', { headers: alice.headers }), 401, 'credentials_revoked');
    expect(await v1Status(ctx, other)).toBe(200);
    await expectError(await admin('DELETE', `/admin/users/${alice.user.id}/credentials/no-such-credential`), 404, 'not_found');
  });
});
