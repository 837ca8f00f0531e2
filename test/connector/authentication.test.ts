import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_HEADER } from '../../connector/contract';
import { createTestContext, STILL_CLOCK, type TestContext } from '../helpers/harness';
import { expectError } from '../helpers/http';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.close();
});

describe('credentials on /v1 (contract: Credentials table)', () => {
  it('refuses a request without headers: missing_credentials', async () => {
    await expectError(await ctx.request('GET', '/v1/me'), 401, 'missing_credentials');
    const { token } = await ctx.createUser();
    await expectError(await ctx.request('GET', '/v1/me', { headers: { 'X-Api-Token': token } }), 401, 'missing_credentials');
  });

  it('answers unknown token, wrong key and malformed values alike: invalid_credentials', async () => {
    const alice = await ctx.createUser();
    const bob = await ctx.createUser();
    const cases = [
      { 'X-Api-Token': alice.token, 'X-Api-Key': bob.key },
      { 'X-Api-Token': alice.token, 'X-Api-Key': 'sgk_not-a-key' },
      { 'X-Api-Token': 'sgt_unknown', 'X-Api-Key': alice.key },
      { 'X-Api-Token': alice.token, 'X-Api-Key': `${alice.key.slice(0, -1)}${alice.key.endsWith('A') ? 'B' : 'A'}` },
    ];
    const messages = new Set<string>();
    for (const headers of cases) {
      const body = await expectError(await ctx.request('GET', '/v1/me', { headers }), 401, 'invalid_credentials');
      messages.add(body.error.message);
    }
    expect(messages.size).toBe(1);
  });

  it('accepts the right pair and says who it is', async () => {
    const alice = await ctx.createUser({ username: 'alice' });
    const response = await ctx.request('GET', '/v1/me', { headers: alice.headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body.user.username).toBe('alice');
    expect(body.credential.token).toBe(alice.token);
    expect(JSON.stringify(body)).not.toContain(alice.key);
    expect(body.endpoint).toBe('http://localhost');
  });

  it('refuses revoked, de-authorized and deleted users on the very next request', async () => {
    const admin = await ctx.createUser({ roles: ['system-admin'] });
    const alice = await ctx.createUser();
    expect((await ctx.request('GET', '/v1/me', { headers: alice.headers })).status).toBe(200);
    await ctx.request('DELETE', `/admin/users/${alice.user.id}/credentials/${alice.credentialId}`, { headers: admin.headers });
    await expectError(await ctx.request('GET', '/v1/me', { headers: alice.headers }), 401, 'credentials_revoked');

    const bob = await ctx.createUser();
    const off = await ctx.request('PUT', `/admin/users/${bob.user.id}/api-access`, { headers: admin.headers, body: { authorized: false } });
    expect(await off.json()).toEqual({ authorized: false });
    await expectError(await ctx.request('GET', '/v1/me', { headers: bob.headers }), 401, 'credentials_revoked');

    const carol = await ctx.createUser();
    expect((await ctx.request('DELETE', `/admin/users/${carol.user.id}`, { headers: admin.headers })).status).toBe(204);
    await expectError(await ctx.request('GET', '/v1/me', { headers: carol.headers }), 401, 'credentials_revoked');
  });

  it('re-authorizing gives a NEW pair; after regenerate the old key is simply wrong', async () => {
    const admin = await ctx.createUser({ roles: ['system-admin'] });
    const alice = await ctx.createUser();
    const again = await (await ctx.request('PUT', `/admin/users/${alice.user.id}/api-access`, { headers: admin.headers, body: { authorized: true } })).json();
    expect(again.authorized).toBe(true);
    expect(again.credential.token).not.toBe(alice.token);
    expect(again.credential.key).not.toBe(alice.key);

    const regenerated = await ctx.request('POST', `/admin/users/${alice.user.id}/credentials/${alice.credentialId}/regenerate`, { headers: admin.headers });
    const pair = await regenerated.json();
    expect(pair.token).toBe(alice.token);
    await expectError(await ctx.request('GET', '/v1/me', { headers: alice.headers }), 401, 'invalid_credentials');
    const fresh = await ctx.request('GET', '/v1/me', { headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key } });
    expect(fresh.status).toBe(200);
  });

  it('refuses an expired credential: credentials_expired', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    await ctx.close();
    ctx = await createTestContext({}, () => now);
    const admin = await ctx.createUser({ roles: ['system-admin'] });
    const alice = await ctx.createUser();
    const issued = await (await ctx.request('POST', `/admin/users/${alice.user.id}/credentials`, { headers: admin.headers, body: { name: 'laptop', expiresInSeconds: 60 } })).json();
    const headers = { 'X-Api-Token': issued.token, 'X-Api-Key': issued.key };
    expect((await ctx.request('GET', '/v1/me', { headers })).status).toBe(200);
    now = new Date('2026-01-01T00:01:00Z');
    await expectError(await ctx.request('GET', '/v1/me', { headers }), 401, 'credentials_expired');
  });

  it('refuses a deactivated user: user_inactive', async () => {
    const admin = await ctx.createUser({ roles: ['system-admin'] });
    const alice = await ctx.createUser();
    await ctx.request('PATCH', `/admin/users/${alice.user.id}`, { headers: admin.headers, body: { active: false } });
    await expectError(await ctx.request('GET', '/v1/me', { headers: alice.headers }), 403, 'user_inactive');
  });

  it('checks allowed IP ranges against the socket address, ignoring forged forwarding headers', async () => {
    const alice = await ctx.createUser({ allowedIps: ['203.0.113.0/24', '2001:db8::/32'] });
    expect((await ctx.request('GET', '/v1/me', { headers: alice.headers, ip: '203.0.113.7' })).status).toBe(200);
    expect((await ctx.request('GET', '/v1/me', { headers: alice.headers, ip: '2001:db8::1' })).status).toBe(200);
    await expectError(
      await ctx.request('GET', '/v1/me', { headers: { ...alice.headers, 'X-Forwarded-For': '203.0.113.7' }, ip: '198.51.100.1' }),
      403,
      'ip_not_allowed',
    );
  });

  it('refuses plain HTTP from a non-loopback client: https_required', async () => {
    const alice = await ctx.createUser();
    const plain = await ctx.app.request('/v1/me', { headers: alice.headers }, { incoming: { socket: { remoteAddress: '198.51.100.1' } } } as never);
    await expectError(plain, 403, 'https_required');
  });

  it('refuses credentials in the query string, even valid ones', async () => {
    const alice = await ctx.createUser();
    await expectError(await ctx.request('GET', `/v1/me?key=${alice.key}`, { headers: alice.headers }), 400, 'credentials_in_query');
    await expectError(await ctx.request('GET', `/v1/tables?x=${alice.token}`), 400, 'credentials_in_query');
  });

  it('rate limits per credential with Retry-After', async () => {
    await ctx.close();
    ctx = await createTestContext({ rateLimit: { requests: 3, windowSeconds: 60 } }, STILL_CLOCK);
    const alice = await ctx.createUser();
    for (let i = 0; i < 3; i++) expect((await ctx.request('GET', '/v1/me', { headers: alice.headers })).status).toBe(200);
    const limited = await ctx.request('GET', '/v1/me', { headers: alice.headers });
    await expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a wrong key with a credential\'s token spends none of its requests: the limit counts only after the key is proven', async () => {
    await ctx.close();
    ctx = await createTestContext({ rateLimit: { requests: 3, windowSeconds: 60 } }, STILL_CLOCK);
    const alice = await ctx.createUser();
    const wrongKey = { ...alice.headers, [KEY_HEADER]: (await ctx.createUser()).key };
    for (let i = 0; i < 5; i++) await expectError(await ctx.request('GET', '/v1/me', { headers: wrongKey }), 401, 'invalid_credentials');
    for (let i = 0; i < 3; i++) expect((await ctx.request('GET', '/v1/me', { headers: alice.headers })).status).toBe(200);
    await expectError(await ctx.request('GET', '/v1/me', { headers: alice.headers }), 429, 'rate_limited');
  });
});
