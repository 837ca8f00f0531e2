import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from '../helpers/harness';
import { expectError, expectJson, systemAdmin, type Caller } from '../helpers/http';

let ctx: TestContext;
let admin: Caller;
let alice: TestUser;
beforeEach(async () => {
  ctx = await createTestContext();
  admin = (await systemAdmin(ctx)).call;
  alice = await ctx.createUser();
});
afterEach(async () => {
  await ctx.close();
});

const tableIds = () => ctx.services.tables.list().map((table) => table.id).sort();
const read = (path: string) => ctx.request('GET', path, { headers: alice.headers });

describe('PUT /admin/users/:id/grants', () => {
  it('returns every table with its grant (none where unset) and merges with earlier grants', async () => {
    const first = await expectJson(await admin('PUT', `/admin/users/${alice.user.id}/grants`, { customers: 'standard' }), 200);
    expect(Object.keys(first.grants).sort()).toEqual(tableIds());
    expect(first.grants).toMatchObject({ customers: 'standard', products: 'none', 'stock-levels': 'none', campaigns: 'none' });

    const second = await expectJson(await admin('PUT', `/admin/users/${alice.user.id}/grants`, { products: 'basic' }), 200);
    expect(second.grants).toMatchObject({ customers: 'standard', products: 'basic' });
    expect((await expectJson(await admin('GET', `/admin/users/${alice.user.id}`), 200)).grants).toMatchObject({
      customers: 'standard',
      products: 'basic',
    });
  });

  it('refuses an unknown table or format with 400 naming it, and stores nothing of that body', async () => {
    for (const body of [{ customers: 'detail', nosuchtable: 'basic' }, { customers: 'detail', products: 'everything' }, { customers: 3 }]) {
      const error = await expectError(await admin('PUT', `/admin/users/${alice.user.id}/grants`, body), 400, 'invalid_request');
      expect(error.error.message).toMatch(/nosuchtable|products|customers/);
    }
    expect((await expectJson(await admin('GET', `/admin/users/${alice.user.id}`), 200)).grants.customers ?? 'none').toBe('none');
  });

  it('a grant of none makes the table 403 no_access on the very next request', async () => {
    await admin('PUT', `/admin/users/${alice.user.id}/grants`, { customers: 'basic' });
    expect((await read('/v1/tables/customers')).status).toBe(200);
    await admin('PUT', `/admin/users/${alice.user.id}/grants`, { customers: 'none' });
    await expectError(await read('/v1/tables/customers'), 403, 'no_access');
    const { tables } = await expectJson(await read('/v1/tables'), 200);
    expect(tables.map((t: { id: string }) => t.id)).not.toContain('customers');
  });

  it('a format above the grant is 403 tier_not_granted naming the highest granted format', async () => {
    await admin('PUT', `/admin/users/${alice.user.id}/grants`, { customers: 'standard' });
    expect((await read('/v1/tables/customers?format=standard')).status).toBe(200);
    const error = await expectError(await read('/v1/tables/customers?format=detail'), 403, 'tier_not_granted');
    expect(error.error.message).toContain('standard');
  });
});

describe('PUT /admin/users/:id/settings', () => {
  it('sets warehouse and priceCustomer, keeps the unnamed one, and reads back', async () => {
    const set = await expectJson(await admin('PUT', `/admin/users/${alice.user.id}/settings`, { warehouse: 'WH1', priceCustomer: 'C001' }), 200);
    expect(set).toEqual({ settings: { warehouse: 'WH1', priceCustomer: 'C001' } });
    const partial = await expectJson(await admin('PUT', `/admin/users/${alice.user.id}/settings`, { warehouse: '' }), 200);
    expect(partial.settings).toEqual({ warehouse: '', priceCustomer: 'C001' });
    expect((await expectJson(await admin('GET', `/admin/users/${alice.user.id}`), 200)).settings).toEqual({ warehouse: '', priceCustomer: 'C001' });
  });

  it('refuses a wrong type with 400 naming the field', async () => {
    const error = await expectError(await admin('PUT', `/admin/users/${alice.user.id}/settings`, { warehouse: 7 }), 400, 'invalid_request');
    expect(error.error.message).toContain('warehouse');
  });
});
