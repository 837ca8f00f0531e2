import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Organization } from '../../connector/store/types';
import { importRows } from '../../connector/tables/import';
import { customerRow } from './tables/fixtures';
import { createTestContext, type TestContext, type TestUser } from '../helpers/harness';
import { callerWith, declaredRoutes, expectError, expectJson, fillPath, v1Status, type Caller } from '../helpers/http';

// A provider (Acme) with a client (Globex), and an unrelated provider (Umbrella) with its own client.
let ctx: TestContext;
let acme: Organization;
let globex: Organization;
let umbrella: Organization;
let umbrellaClient: Organization;
let portalAdmin: TestUser;
let asPortal: Caller;
let users: Record<'inAcme' | 'inGlobex' | 'inUmbrella' | 'inUmbrellaClient' | 'sysAdminInAcme', TestUser>;

beforeEach(async () => {
  ctx = await createTestContext();
  acme = await ctx.createOrganization('Acme', 'provider');
  globex = await ctx.createOrganization('Globex', 'client', acme.id);
  umbrella = await ctx.createOrganization('Umbrella', 'provider');
  umbrellaClient = await ctx.createOrganization('Hooli', 'client', umbrella.id);
  // A portal admin hands out only what it holds: it reads customers itself, so it can grant them.
  portalAdmin = await ctx.createUser({ username: 'pa', roles: ['portal-admin'], organizations: [acme.id], grants: { customers: 'standard' } });
  asPortal = callerWith(ctx, portalAdmin.headers);
  users = {
    inAcme: await ctx.createUser({ username: 'in-acme', organizations: [acme.id] }),
    inGlobex: await ctx.createUser({ username: 'in-globex', organizations: [globex.id] }),
    inUmbrella: await ctx.createUser({ username: 'in-umbrella', organizations: [umbrella.id] }),
    inUmbrellaClient: await ctx.createUser({ username: 'in-hooli', organizations: [umbrellaClient.id] }),
    sysAdminInAcme: await ctx.createUser({ username: 'root', roles: ['system-admin'], organizations: [acme.id] }),
  };
});
afterEach(async () => {
  await ctx.close();
});

const userRoutes = () => declaredRoutes(ctx.app).filter((route) => route.path.startsWith('/admin/users/:id'));
/** A body each per-user route would accept, so only the scope check can refuse it. */
function validBody(method: string, path: string): unknown {
  if (method === 'GET' || method === 'DELETE' || path.endsWith('/regenerate')) return undefined;
  if (path.endsWith('/api-access')) return { authorized: true };
  if (path.endsWith('/grants')) return { customers: 'basic' };
  if (path.endsWith('/settings')) return { warehouse: 'WH1' };
  if (path.endsWith('/credentials')) return { name: 'laptop' };
  return { description: 'changed' };
}

async function readBack(user: TestUser) {
  return await ctx.services.store.security.getUser(user.user.id);
}

describe('a portal admin manages users of its organizations and their clients only', () => {
  it('lists its provider\'s and client organizations\' users, never other organizations\' nor a system admin', async () => {
    const { users: listed } = await expectJson(await asPortal('GET', '/admin/users'), 200);
    expect(listed.map((u: { username: string }) => u.username).sort()).toEqual(['in-acme', 'in-globex', 'pa']);
  });

  it('manages a client organization\'s user: read, change, authorize (a working pair), grant', async () => {
    const id = users.inGlobex.user.id;
    expect((await expectJson(await asPortal('GET', `/admin/users/${id}`), 200)).username).toBe('in-globex');
    expect((await expectJson(await asPortal('PATCH', `/admin/users/${id}`, { name: 'Gina' }), 200)).name).toBe('Gina');
    const access = await expectJson(await asPortal('PUT', `/admin/users/${id}/api-access`, { authorized: true }), 200);
    expect(await v1Status(ctx, access.credential)).toBe(200);
    await expectJson(await asPortal('PUT', `/admin/users/${id}/grants`, { customers: 'basic' }), 200);
  });

  it('answers 404 not_found on every per-user route for users of other organizations and for system admins, changing nothing', async () => {
    const routes = userRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    for (const target of [users.inUmbrella, users.inUmbrellaClient, users.sysAdminInAcme]) {
      const before = structuredClone(await readBack(target));
      for (const route of routes) {
        const path = fillPath(route.path, { id: target.user.id, cid: target.credentialId });
        const response = await asPortal(route.method, path, validBody(route.method, route.path));
        await expectError(response, 404, 'not_found');
      }
      expect(await readBack(target)).toEqual(before);
      expect(await v1Status(ctx, target)).toBe(200);
    }
  });

  it('cannot assign the system-admin role, on create or change (403 forbidden)', async () => {
    await expectError(
      await asPortal('POST', '/admin/users', { username: 'mallory', email: 'm@example.com', kind: 'portal', roles: ['system-admin'], organizations: [acme.id] }),
      403,
      'forbidden',
    );
    await expectError(await asPortal('PATCH', `/admin/users/${users.inAcme.user.id}`, { roles: ['system-admin'] }), 403, 'forbidden');
    await expectError(await asPortal('PATCH', `/admin/users/${portalAdmin.user.id}`, { roles: ['system-admin', 'portal-admin'] }), 403, 'forbidden');
    expect((await readBack(users.inAcme))?.roles).toEqual(['member']);
    expect((await readBack(portalAdmin))?.roles).toEqual(['portal-admin']);
    expect(await ctx.services.store.security.findUserByUsername('mallory')).toBeUndefined();
  });

  it('cannot create a user in, or move a user into, an organization it does not administer (403 forbidden)', async () => {
    await expectError(
      await asPortal('POST', '/admin/users', { username: 'mallory', email: 'm@example.com', kind: 'portal', organizations: [umbrella.id] }),
      403,
      'forbidden',
    );
    await expectError(
      await asPortal('POST', '/admin/users', { username: 'mallory', email: 'm@example.com', kind: 'portal' }),
      403,
      'forbidden',
    );
    await expectError(
      await asPortal('PATCH', `/admin/users/${users.inAcme.user.id}`, { organizations: [acme.id, umbrellaClient.id] }),
      403,
      'forbidden',
    );
    expect((await readBack(users.inAcme))?.organizations).toEqual([acme.id]);
    expect(await ctx.services.store.security.findUserByUsername('mallory')).toBeUndefined();

    const created = await expectJson(
      await asPortal('POST', '/admin/users', { username: 'gina', email: 'g@example.com', kind: 'api', roles: ['portal-admin'], organizations: [globex.id] }),
      201,
    );
    expect(created).toMatchObject({ organizations: [globex.id], roles: ['portal-admin'] });
  });

  it('does not manage a user who is also in an organization it does not administer: 404, and its other membership survives', async () => {
    const shared = await ctx.createUser({ username: 'shared', organizations: [globex.id, umbrella.id] });
    await expectError(await asPortal('PATCH', `/admin/users/${shared.user.id}`, { organizations: [acme.id, umbrella.id] }), 404, 'not_found');
    await expectError(await asPortal('DELETE', `/admin/users/${shared.user.id}`), 404, 'not_found');
    expect((await readBack(shared))?.organizations).toEqual([globex.id, umbrella.id]);
  });

  it('a portal admin of a client organization does not manage its provider\'s users', async () => {
    const clientAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: [globex.id] });
    const asClientAdmin = callerWith(ctx, clientAdmin.headers);
    const { users: listed } = await expectJson(await asClientAdmin('GET', '/admin/users'), 200);
    expect(listed.map((u: { username: string }) => u.username).sort()).toEqual(['in-globex', clientAdmin.user.username].sort());
    await expectError(await asClientAdmin('GET', `/admin/users/${users.inAcme.user.id}`), 404, 'not_found');
  });
});

describe('nobody but a system admin widens their own access', () => {
  it('a portal admin may edit its own profile, but not its own grants, settings, roles, memberships, IPs or active flag', async () => {
    const self = `/admin/users/${portalAdmin.user.id}`;
    expect((await expectJson(await asPortal('PATCH', self, { name: 'Pat' }), 200)).name).toBe('Pat');
    await expectError(await asPortal('PUT', `${self}/grants`, { customers: 'expanded' }), 403, 'forbidden');
    await expectError(await asPortal('PUT', `${self}/settings`, { warehouse: 'MAIN' }), 403, 'forbidden');
    for (const change of [{ roles: ['member'] }, { organizations: [acme.id, globex.id] }, { teams: [] }, { allowedIps: [] }, { active: false }]) {
      await expectError(await asPortal('PATCH', self, change), 403, 'forbidden');
    }
    expect((await readBack(portalAdmin))?.grants).toEqual({ customers: 'standard' });
  });

  it('a portal admin hands out only teams it belongs to', async () => {
    const own = await ctx.createTeam('Own team');
    const other = await ctx.createTeam('Other team');
    await ctx.services.store.security.transaction(async (draft) => draft.patchUser(portalAdmin.user.id, { teams: [own.id] }));
    const id = users.inGlobex.user.id;
    expect((await expectJson(await asPortal('PATCH', `/admin/users/${id}`, { teams: [own.id] }), 200)).teams).toEqual([own.id]);
    await expectError(await asPortal('PATCH', `/admin/users/${id}`, { teams: [own.id, other.id] }), 403, 'forbidden');
    await expectError(
      await asPortal('POST', '/admin/users', { username: 'tina', email: 't@example.com', kind: 'portal', organizations: [globex.id], teams: [other.id] }),
      403,
      'forbidden',
    );
    expect((await readBack(users.inGlobex))?.teams).toEqual([own.id]);
  });

  it('even a system admin cannot deactivate itself', async () => {
    const root = users.sysAdminInAcme;
    const asRoot = callerWith(ctx, root.headers);
    await expectError(await asRoot('PATCH', `/admin/users/${root.user.id}`, { active: false }), 403, 'forbidden');
    expect((await readBack(root))?.active).toBe(true);
  });
});

describe('anyone without an admin role', () => {
  it('gets 403 forbidden on every admin route, and changes nothing', async () => {
    const member = await ctx.createUser({ organizations: [acme.id], grants: { customers: 'expanded' } });
    const asMember = callerWith(ctx, member.headers);
    const routes = declaredRoutes(ctx.app).filter((route) => route.path.startsWith('/admin/'));
    expect(routes.length).toBeGreaterThanOrEqual(18);
    const before = structuredClone(await ctx.services.store.security.listUsers());
    const params = { id: member.user.id, cid: member.credentialId, table: 'customers', key: 'C001' };
    for (const route of routes) {
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : { authorized: true, name: 'x', rows: [] };
      const response = await asMember(route.method, fillPath(route.path, params), body);
      await expectError(response, 403, 'forbidden');
    }
    expect(await ctx.services.store.security.listUsers()).toEqual(before);
    expect(await ctx.services.store.security.listCredentials(member.user.id)).toHaveLength(1);
  });
});

describe('a portal admin points a price setting only at customers it can read', () => {
  const customer = (code: string, organization: string) => customerRow(code, { 'Price List': 'B', organization });
  const settingsOf = (user: TestUser) => `/admin/users/${user.user.id}/settings`;

  beforeEach(async () => {
    const customers = ctx.services.tables.get('customers')!;
    await importRows(ctx.services.store, customers, [customer('C-ACME', acme.id), customer('C-GLOBEX', globex.id), customer('C-UMBRELLA', umbrella.id)]);
  });

  it('its own organization\'s and its clients\' customers, not another provider\'s nor a missing one (the same answer)', async () => {
    await expectJson(await asPortal('PUT', settingsOf(users.inGlobex), { priceCustomer: 'C-GLOBEX' }), 200);
    await expectJson(await asPortal('PUT', settingsOf(users.inGlobex), { priceCustomer: 'C-ACME' }), 200);
    for (const code of ['C-UMBRELLA', 'C-NOWHERE']) {
      const body = await expectError(await asPortal('PUT', settingsOf(users.inGlobex), { priceCustomer: code }), 400, 'invalid_request');
      expect(body.error.message).toBe(`Field "priceCustomer": no row "${code}" in Customers that you can see.`);
    }
    expect((await readBack(users.inGlobex))?.settings?.priceCustomer).toBe('C-ACME');
    // Blank clears it; a warehouse is no table's row, so only the admin's own may be given.
    await expectError(await asPortal('PUT', settingsOf(users.inGlobex), { warehouse: 'ANYWHERE' }), 403, 'forbidden');
    await ctx.services.store.security.transaction(async (draft) => draft.patchUser(portalAdmin.user.id, { settings: { warehouse: 'ANYWHERE', priceCustomer: '' } }));
    await expectJson(await asPortal('PUT', settingsOf(users.inGlobex), { priceCustomer: '', warehouse: 'ANYWHERE' }), 200);
    expect((await readBack(users.inGlobex))?.settings).toEqual({ priceCustomer: '', warehouse: 'ANYWHERE' });
  });

  it('a system admin may name any customer, even one not imported yet', async () => {
    const asRoot = callerWith(ctx, users.sysAdminInAcme.headers);
    await expectJson(await asRoot('PUT', settingsOf(users.inGlobex), { priceCustomer: 'C-UMBRELLA' }), 200);
    await expectJson(await asRoot('PUT', settingsOf(users.inGlobex), { priceCustomer: 'C-LATER' }), 200);
  });
});
