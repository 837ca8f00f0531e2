import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import type { Organization } from '../../../connector/store/types';
import { importRows } from '../../../connector/tables/import';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';
import { callerWith, expectError, expectJson, type Caller } from '../../helpers/http';

// The three ways around "a portal admin acts only inside its own reach" that a review reproduced
// against a real server, replayed through the routes exactly as an attacker did them.

let ctx: TestContext;
let northwind: Organization;
let contoso: Organization;
let adventure: Organization;

const pairOf = (body: { token: string; key: string }) => ({ [TOKEN_HEADER]: body.token, [KEY_HEADER]: body.key });

beforeEach(async () => {
  ctx = await createTestContext({ rateLimit: { requests: 1_000_000, windowSeconds: 60 } });
  northwind = await ctx.createOrganization('Northwind', 'provider');
  contoso = await ctx.createOrganization('Contoso', 'client', northwind.id);
  adventure = await ctx.createOrganization('Adventure', 'provider');
  await importRows(ctx.services.store, ctx.services.tables.get('customers')!, [
    { Code: 'C-CONTOSO', Name: 'Contoso customer', organization: contoso.id },
    { Code: 'C-ADVENTURE', Name: 'Adventure customer', organization: adventure.id },
  ]);
  await importRows(ctx.services.store, ctx.services.tables.get('stock-levels')!, [
    { Id: 'S-MAIN', Product: 'P1', Warehouse: 'MAIN', 'On Hand': 1 },
    { Id: 'S-SOUTH', Product: 'P1', Warehouse: 'SOUTH', 'On Hand': 2 },
  ]);
});
afterEach(async () => {
  await ctx.close();
});

async function readCodes(headers: Record<string, string>, table: string, format = 'basic'): Promise<number | string[]> {
  const response = await ctx.request('GET', `/v1/tables/${table}?format=${format}`, { headers });
  if (response.status !== 200) return response.status;
  const key = table === 'customers' ? 'Code' : 'Id';
  return (await response.json()).rows.map((row: Record<string, string>) => row[key]).sort();
}

describe('finding 1: takeover through a user shared with another organization', () => {
  let contosoAdmin: Caller;
  let shared: TestUser;

  beforeEach(async () => {
    const admin = await ctx.createUser({ roles: ['portal-admin'], organizations: [contoso.id], grants: { customers: 'standard' } });
    contosoAdmin = callerWith(ctx, admin.headers);
    shared = await ctx.createUser({ roles: ['portal-admin'], organizations: [adventure.id, contoso.id], grants: { customers: 'standard' } });
  });

  it('cannot regenerate (nor copy, nor issue) the shared portal admin\'s key, so cannot sign in as it', async () => {
    const base = `/admin/users/${shared.user.id}`;
    await expectError(await contosoAdmin('POST', `${base}/credentials/${shared.credentialId}/regenerate`), 404, 'not_found');
    await expectError(await contosoAdmin('GET', `${base}/credentials/${shared.credentialId}/key`), 404, 'not_found');
    await expectError(await contosoAdmin('POST', `${base}/credentials`, { name: 'mine' }), 404, 'not_found');
    // The shared admin's own pair still works, and it alone reads Adventure's customers.
    expect(await readCodes(shared.headers, 'customers')).toEqual(['C-ADVENTURE', 'C-CONTOSO']);
  });

  it('cannot delete a shared member, which would erase its membership elsewhere', async () => {
    const member = await ctx.createUser({ organizations: [adventure.id, contoso.id] });
    await expectError(await contosoAdmin('DELETE', `/admin/users/${member.user.id}`), 404, 'not_found');
    expect((await ctx.services.store.security.getUser(member.user.id))?.organizations).toEqual([adventure.id, contoso.id]);
  });
});

describe('finding 2: widening through a puppet', () => {
  let admin: TestUser;
  let asAdmin: Caller;

  beforeEach(async () => {
    admin = await ctx.createUser({
      roles: ['portal-admin'],
      organizations: [northwind.id],
      grants: { customers: 'standard' },
      settings: { warehouse: 'MAIN' },
    });
    asAdmin = callerWith(ctx, admin.headers);
  });

  it('a user it creates gets no grant, warehouse or format beyond its own (403 naming what is over)', async () => {
    const puppet = await expectJson(
      await asAdmin('POST', '/admin/users', { username: 'puppet', email: 'puppet@example.com', kind: 'api', organizations: [northwind.id] }),
      201,
    );
    const over = await expectError(await asAdmin('PUT', `/admin/users/${puppet.id}/grants`, { customers: 'expanded' }), 403, 'forbidden');
    expect(over.error.message).toContain('"expanded" on customers');
    const stock = await expectError(await asAdmin('PUT', `/admin/users/${puppet.id}/grants`, { 'stock-levels': 'basic' }), 403, 'forbidden');
    expect(stock.error.message).toContain('stock-levels');
    const warehouse = await expectError(await asAdmin('PUT', `/admin/users/${puppet.id}/settings`, { warehouse: 'SOUTH' }), 403, 'forbidden');
    expect(warehouse.error.message).toContain('"SOUTH"');
    await expectError(await asAdmin('PUT', `/admin/users/${puppet.id}/settings`, { priceCustomer: 'C-ADVENTURE' }), 400, 'invalid_request');

    // What it may hand out, it may: its own grant and its own warehouse.
    await expectJson(await asAdmin('PUT', `/admin/users/${puppet.id}/grants`, { customers: 'standard' }), 200);
    await expectJson(await asAdmin('PUT', `/admin/users/${puppet.id}/settings`, { warehouse: 'MAIN' }), 200);
    const access = await expectJson(await asAdmin('PUT', `/admin/users/${puppet.id}/api-access`, { authorized: true }), 200);
    const puppetPair = pairOf(access.credential);
    expect(await readCodes(puppetPair, 'customers', 'expanded')).toBe(403);
    expect(await readCodes(puppetPair, 'customers', 'standard')).toEqual(await readCodes(admin.headers, 'customers', 'standard'));
    expect(await readCodes(puppetPair, 'stock-levels')).toBe(403);
  });

  it('cannot copy the key of a colleague who holds more (another team, a higher grant)', async () => {
    const team = await ctx.createTeam('Events');
    for (const more of [{ teams: [team.id] }, { grants: { customers: 'expanded' as const } }, { settings: { warehouse: 'SOUTH' } }]) {
      const colleague = await ctx.createUser({ organizations: [northwind.id], ...more });
      await expectError(await asAdmin('GET', `/admin/users/${colleague.user.id}/credentials/${colleague.credentialId}/key`), 404, 'not_found');
    }
  });
});

describe('finding 3: self-issued credentials', () => {
  it('a portal admin cannot issue, regenerate or copy keys of its own (403), but may revoke its own credential', async () => {
    const admin = await ctx.createUser({ roles: ['portal-admin'], organizations: [northwind.id], grants: { customers: 'basic' } });
    const asAdmin = callerWith(ctx, admin.headers);
    const self = `/admin/users/${admin.user.id}`;
    await expectError(await asAdmin('POST', `${self}/credentials`, { name: 'forever' }), 403, 'forbidden');
    await expectError(await asAdmin('PUT', `${self}/api-access`, { authorized: true }), 403, 'forbidden');
    await expectError(await asAdmin('POST', `${self}/credentials/${admin.credentialId}/regenerate`), 403, 'forbidden');
    const copied = await expectError(await asAdmin('GET', `${self}/credentials/${admin.credentialId}/key`), 403, 'forbidden');
    expect(copied.error.message).toContain('ask a system admin');
    expect(await ctx.services.store.security.listCredentials(admin.user.id)).toHaveLength(1);

    await expect(asAdmin('DELETE', `${self}/credentials/${admin.credentialId}`)).resolves.toMatchObject({ status: 204 });
    await expectError(await asAdmin('GET', '/admin/users'), 401, 'credentials_revoked');
  });
});
