import { expect, it } from 'vitest';
import type { TestContext } from '../../helpers/harness';
import { expectError, expectJson, withAdminContext, type Caller } from '../../helpers/http';
import { allRows } from '../../helpers/rows';

// Found by the visibility property: a row keyed "." or ".." was imported, but URLs fold those path
// segments away, so /v1/tables/:t/rows/:key could never read it and DELETE could never remove it.

let ctx: TestContext;
let admin: Caller;
withAdminContext((context, caller) => {
  ctx = context;
  admin = caller;
});

it('refuses the row keys "." and "..", naming the row and field, and stores nothing', async () => {
  const org = await ctx.createOrganization('Org', 'provider');
  for (const key of ['.', '..']) {
    const rows = [{ Code: 'OK1', organization: org.id }, { Code: key, organization: org.id }];
    const error = await expectError(await admin('POST', '/admin/tables/customers/rows', { rows }), 400, 'invalid_request');
    expect(error.error.message).toContain('Row 1, field "Code"');
  }
  expect((await allRows(ctx.services.store, 'customers', 'Code'))).toEqual([]);
});

it('keeps every other odd key addressable: read back and deleted through the URL', async () => {
  const org = await ctx.createOrganization('Org', 'provider');
  const keys = ['.a', '...', 'a/b', '%', '%2e', '?x', '#', 'é', '\\'];
  await expectJson(await admin('POST', '/admin/tables/customers/rows', { rows: keys.map((Code) => ({ Code, organization: org.id })) }), 200);
  for (const key of keys) {
    const path = `/tables/customers/rows/${encodeURIComponent(key)}`;
    expect((await expectJson(await admin('GET', `/v1${path}`), 200)).row.Code).toBe(key);
    expect((await admin('DELETE', `/admin${path}`)).status, key).toBe(204);
  }
  expect((await allRows(ctx.services.store, 'customers', 'Code'))).toEqual([]);
});
