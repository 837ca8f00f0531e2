import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';
import { callerWith, expectError, expectJson, type Caller } from '../../helpers/http';
import { allRows } from '../../helpers/rows';

// Mass assignment beyond test/connector/mass-assignment.test.ts (which covers the user, credential,
// settings, organization and team bodies with forged server-owned fields): prototype keys in every
// body, grants for things that are not tables, row imports that try to set computed or unknown
// fields, fields smuggled in the query string, and organizations placed where the caller may not.

let ctx: TestContext;
let root: TestUser;
let admin: Caller;
beforeEach(async () => {
  ctx = await createTestContext();
  root = await ctx.createUser({ roles: ['system-admin'] });
  admin = callerWith(ctx, root.headers);
});
afterEach(async () => {
  await ctx.close();
  // Nothing anywhere may have touched Object.prototype.
  expect(Object.prototype).not.toHaveProperty('customers');
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(({} as Record<string, unknown>).roles).toBeUndefined();
});

const PROTO_BODIES = ['{"__proto__": {"polluted": true, "roles": ["system-admin"]}}', '{"constructor": {"prototype": {"polluted": true}}}'];

async function stored(id: string) {
  return structuredClone(await ctx.services.store.security.getUser(id));
}

describe('prototype keys in bodies are refused or ignored, never applied', () => {
  it('in every user body (create, change, grants, settings, api-access, credentials)', async () => {
    const target = await ctx.createUser({ grants: { customers: 'basic' } });
    const before = (await stored(target.user.id));
    const routes: Array<[string, string]> = [
      ['POST', '/admin/users'],
      ['PATCH', `/admin/users/${target.user.id}`],
      ['PUT', `/admin/users/${target.user.id}/grants`],
      ['PUT', `/admin/users/${target.user.id}/settings`],
      ['PUT', `/admin/users/${target.user.id}/api-access`],
      ['POST', `/admin/users/${target.user.id}/credentials`],
      ['POST', '/admin/organizations'],
      ['POST', '/admin/teams'],
      ['POST', '/admin/tables/customers/rows'],
    ];
    for (const [method, path] of routes) {
      for (const body of PROTO_BODIES) {
        const response = await admin(method, path, body);
        expect(response.status, `${method} ${path} ${body}`).toBeLessThan(500);
        if (response.status >= 300) await expectError(response, 400, 'invalid_request');
      }
    }
    const after = (await stored(target.user.id));
    expect({ ...after, updatedAt: before?.updatedAt }).toEqual(before);
    expect(await ctx.services.store.security.countUsers()).toBe(2);
    expect(await ctx.services.store.security.listCredentials(target.user.id)).toHaveLength(1);
    expect((await allRows(ctx.services.store, 'customers', 'Code'))).toEqual([]);
  });

  it('in grants: only real tables and formats, nothing else stored', async () => {
    const target = await ctx.createUser();
    for (const body of [{ roles: 'expanded' }, { apiAuthorized: 'expanded' }, { customers: 'admin' }, { customers: ['expanded'] }, { 'customers ': 'basic' }]) {
      await expectError(await admin('PUT', `/admin/users/${target.user.id}/grants`, body), 400, 'invalid_request');
    }
    const grants = (await expectJson(await admin('PUT', `/admin/users/${target.user.id}/grants`, '{"__proto__": "expanded", "customers": "basic"}'), 200)).grants;
    expect(grants).toEqual({ campaigns: 'none', customers: 'basic', products: 'none', 'stock-levels': 'none' });
    expect(Object.keys((await stored(target.user.id))!.grants)).toEqual(['customers']);
    expect(Object.getPrototypeOf((await ctx.services.store.security.getUser(target.user.id))!.grants)).toBe(Object.prototype);
  });
});

describe('row imports set only declared, stored fields', () => {
  it('refuses a computed field, an unknown field and a prototype key, naming the row and field', async () => {
    const org = await ctx.createOrganization('Org', 'provider');
    // Rows as JSON text, so a "__proto__" key reaches the server as an own field.
    const cases: Array<[string, string, string]> = [
      ['products', '{"Code": "P1", "Price": 10}', 'Price'],
      ['products', '{"Code": "P1", "Price List": "PL-A"}', 'Price List'],
      ['customers', `{"Code": "C1", "organization": "${org.id}", "role": "system-admin"}`, 'role'],
      ['customers', `{"Code": "C1", "organization": "${org.id}", "Delivery Addresses": [{"Street": "x", "owner": "y"}]}`, 'owner'],
      ['customers', `{"Code": "C1", "organization": "${org.id}", "__proto__": {"polluted": true}}`, '__proto__'],
      ['campaigns', '{"Id": 1, "Name": "x", "team": "no-such-team"}', 'team'],
      ['customers', '{"Code": "C1", "organization": "no-such-org"}', 'organization'],
    ];
    for (const [table, row, field] of cases) {
      const error = await expectError(await admin('POST', `/admin/tables/${table}/rows`, `{"rows": [${row}]}`), 400, 'invalid_request');
      expect(error.error.message, row).toContain('Row 0');
      expect(error.error.message, row).toContain(field);
    }
    expect((await allRows(ctx.services.store, 'customers', 'Code'))).toEqual([]);
    expect((await allRows(ctx.services.store, 'products', 'Code'))).toEqual([]);
  });
});

describe('fields in the query string are not a body', () => {
  it('ignores roles, active or grants passed as query parameters', async () => {
    const target = await ctx.createUser();
    const before = (await stored(target.user.id));
    await expectJson(await admin('PATCH', `/admin/users/${target.user.id}?roles=system-admin&active=false&apiAuthorized=false`, { description: 'only this' }), 200);
    await expectJson(await admin('PUT', `/admin/users/${target.user.id}/grants?customers=expanded`, { products: 'basic' }), 200);
    const after = (await stored(target.user.id))!;
    expect(after).toMatchObject({ roles: before!.roles, active: true, apiAuthorized: true, description: 'only this', grants: { products: 'basic' } });
  });
});

describe('organizations are placed only where the caller may place them', () => {
  it('refuses a client under a client, a provider with a parent, and a portal admin creating a provider', async () => {
    const provider = await ctx.createOrganization('Provider', 'provider');
    const client = await ctx.createOrganization('Client', 'client', provider.id);
    await expectError(await admin('POST', '/admin/organizations', { name: 'Nested', kind: 'client', parent: client.id }), 400, 'invalid_request');
    await expectError(await admin('POST', '/admin/organizations', { name: 'Parented', kind: 'provider', parent: provider.id }), 400, 'invalid_request');
    const portal = callerWith(ctx, (await ctx.createUser({ roles: ['portal-admin'], organizations: [provider.id] })).headers);
    await expectError(await portal('POST', '/admin/organizations', { name: 'Own provider', kind: 'provider' }), 403, 'forbidden');
    await expectError(await portal('POST', '/admin/organizations', { name: 'Orphan', kind: 'client' }), 403, 'forbidden');
    expect((await ctx.services.store.security.listOrganizations()).map((org) => org.name).sort()).toEqual(['Client', 'Provider']);
  });
});
