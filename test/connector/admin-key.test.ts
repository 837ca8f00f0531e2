import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../connector/store/types';
import { createTestContext, type TestContext } from '../helpers/harness';
import { adminKeyHeaders, callerWith, expectError, expectJson } from '../helpers/http';

const ADMIN_KEY = 'operator-admin-key-0123456789-abcdefghij';

let ctx: TestContext;
afterEach(async () => {
  await ctx.close();
});

describe('the global admin key (X-Admin-Key)', () => {
  it('is off by default: any X-Admin-Key is refused', async () => {
    ctx = await createTestContext();
    for (const key of [ADMIN_KEY, '']) {
      await expectError(await ctx.request('GET', '/admin/users', { headers: adminKeyHeaders(key) }), 401, 'invalid_credentials');
    }
  });

  it('when configured, calls admin routes; a wrong admin key is refused', async () => {
    ctx = await createTestContext({ adminKey: ADMIN_KEY });
    const asOperator = callerWith(ctx, adminKeyHeaders(ADMIN_KEY));
    const created = await expectJson(await asOperator('POST', '/admin/users', { username: 'alice', email: 'a@example.com', kind: 'portal' }), 201);
    const access = await expectJson(await asOperator('PUT', `/admin/users/${created.id}/api-access`, { authorized: true }), 200);
    expect(access.credential.key).toMatch(/^sgk_/);
    expect((await expectJson(await asOperator('GET', '/admin/users'), 200)).users).toHaveLength(1);

    for (const wrong of [`${ADMIN_KEY}x`, ADMIN_KEY.slice(0, -1), ADMIN_KEY.toUpperCase()]) {
      await expectError(await ctx.request('GET', '/admin/users', { headers: adminKeyHeaders(wrong) }), 401, 'invalid_credentials');
    }
  });

  it('never opens /v1 data routes', async () => {
    ctx = await createTestContext({ adminKey: ADMIN_KEY });
    for (const path of ['/v1/me', '/v1/tables', '/v1/tables/customers', '/v1/tables/customers/rows/C001']) {
      await expectError(await ctx.request('GET', path, { headers: adminKeyHeaders(ADMIN_KEY) }), 401, 'missing_credentials');
    }
  });

  it('every use appears in GET /admin/audit, reads included, refused uses with their code', async () => {
    ctx = await createTestContext({ adminKey: ADMIN_KEY });
    const asOperator = callerWith(ctx, adminKeyHeaders(ADMIN_KEY));
    const alice = await ctx.createUser({ username: 'alice' });
    await expectJson(await asOperator('GET', '/admin/users'), 200);
    await expectJson(await asOperator('GET', `/admin/users/${alice.user.id}`), 200);
    await expectJson(await asOperator('GET', `/admin/users/${alice.user.id}/api-access`), 200);
    await expectJson(await asOperator('PATCH', `/admin/users/${alice.user.id}`, { name: 'Alice' }), 200);
    await expectError(await ctx.request('GET', '/admin/teams', { headers: adminKeyHeaders('not-the-admin-key') }), 401, 'invalid_credentials');

    const { entries } = await expectJson<{ entries: AuditEntry[] }>(await asOperator('GET', '/admin/audit?limit=100'), 200);
    const byKey = entries.filter((entry) => entry.actor === 'admin-key');
    const mentions = (text: string) => byKey.some((entry) => `${entry.action} ${entry.target}`.includes(text));
    expect(mentions('/admin/users')).toBe(true);
    expect(mentions(`/admin/users/${alice.user.id}/api-access`)).toBe(true);
    expect(byKey.filter((entry) => entry.action === 'admin-key.use GET' && entry.target === `/admin/users/${alice.user.id}`)).toHaveLength(1);
    expect(byKey.some((entry) => entry.action.startsWith('user.update'))).toBe(true);
    expect(entries.some((entry) => entry.outcome === 'invalid_credentials' && entry.target === '/admin/teams')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(ADMIN_KEY);
    expect(JSON.stringify(entries)).not.toContain('not-the-admin-key');
  });
});
