import { describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/harness';
import { callerWith, expectError, expectJson, withAdminContext, ISO_TIME, type Caller } from '../helpers/http';

let ctx: TestContext;
let admin: Caller;
withAdminContext((context, caller) => {
  ctx = context;
  admin = caller;
});

describe('GET/POST /admin/organizations', () => {
  it('creates a provider and a client under it (201 with id), and lists both', async () => {
    const provider = await expectJson(await admin('POST', '/admin/organizations', { name: 'Acme', kind: 'provider' }), 201);
    expect(provider).toEqual({ id: expect.any(String), name: 'Acme', kind: 'provider', parent: null, createdAt: expect.stringMatching(ISO_TIME) });
    const client = await expectJson(await admin('POST', '/admin/organizations', { name: 'Globex', kind: 'client', parent: provider.id }), 201);
    expect(client).toMatchObject({ id: expect.any(String), name: 'Globex', kind: 'client', parent: provider.id });
    const standalone = await expectJson(await admin('POST', '/admin/organizations', { name: 'Initech', kind: 'client' }), 201);
    expect(standalone.parent).toBeNull();

    const { organizations } = await expectJson(await admin('GET', '/admin/organizations'), 200);
    expect(organizations.map((org: { id: string }) => org.id).sort()).toEqual([provider.id, client.id, standalone.id].sort());
  });

  it('refuses a parent that is not a provider, a provider with a parent, and an unknown parent (400 naming parent)', async () => {
    const provider = await ctx.createOrganization('Acme', 'provider');
    const client = await ctx.createOrganization('Globex', 'client', provider.id);
    for (const body of [
      { name: 'Sub', kind: 'client', parent: client.id },
      { name: 'Sub', kind: 'provider', parent: provider.id },
      { name: 'Sub', kind: 'client', parent: 'no-such-org' },
    ]) {
      const error = await expectError(await admin('POST', '/admin/organizations', body), 400, 'invalid_request');
      expect(error.error.message).toContain('parent');
    }
    expect((await expectJson(await admin('GET', '/admin/organizations'), 200)).organizations).toHaveLength(2);
  });

  it('refuses a duplicate name (409 conflict) and a bad kind (400 naming kind)', async () => {
    await ctx.createOrganization('Acme', 'provider');
    await expectError(await admin('POST', '/admin/organizations', { name: 'acme', kind: 'client' }), 409, 'conflict');
    const error = await expectError(await admin('POST', '/admin/organizations', { name: 'X', kind: 'partner' }), 400, 'invalid_request');
    expect(error.error.message).toContain('kind');
  });

  it('lets a portal admin add a client only under a provider it administers, and list only its own', async () => {
    const mine = await ctx.createOrganization('Acme', 'provider');
    const theirs = await ctx.createOrganization('Umbrella', 'provider');
    const portalAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: [mine.id] });
    const asPortal = callerWith(ctx, portalAdmin.headers);

    const client = await expectJson(await asPortal('POST', '/admin/organizations', { name: 'Globex', kind: 'client', parent: mine.id }), 201);
    await expectError(await asPortal('POST', '/admin/organizations', { name: 'Hooli', kind: 'client', parent: theirs.id }), 403, 'forbidden');
    await expectError(await asPortal('POST', '/admin/organizations', { name: 'Hooli', kind: 'provider' }), 403, 'forbidden');
    // Refused before the parent is looked up: an unknown id answers as a foreign one does.
    await expectError(await asPortal('POST', '/admin/organizations', { name: 'Hooli', kind: 'client', parent: 'no-such-org' }), 403, 'forbidden');

    const { organizations } = await expectJson(await asPortal('GET', '/admin/organizations'), 200);
    expect(organizations.map((org: { id: string }) => org.id).sort()).toEqual([mine.id, client.id].sort());
  });
});

describe('GET/POST /admin/teams', () => {
  it('creates a team (201 with id) and lists it; a duplicate name is 409', async () => {
    const team = await expectJson(await admin('POST', '/admin/teams', { name: 'North' }), 201);
    expect(team).toEqual({ id: expect.any(String), name: 'North', createdAt: expect.stringMatching(ISO_TIME) });
    expect((await expectJson(await admin('GET', '/admin/teams'), 200)).teams).toEqual([team]);
    await expectError(await admin('POST', '/admin/teams', { name: 'north' }), 409, 'conflict');
    const error = await expectError(await admin('POST', '/admin/teams', { name: '' }), 400, 'invalid_request');
    expect(error.error.message).toContain('name');
  });

  it('refuses team creation by a portal admin (403 forbidden)', async () => {
    const org = await ctx.createOrganization('Acme', 'provider');
    const portalAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: [org.id] });
    await expectError(await callerWith(ctx, portalAdmin.headers)('POST', '/admin/teams', { name: 'South' }), 403, 'forbidden');
    expect((await expectJson(await admin('GET', '/admin/teams'), 200)).teams).toEqual([]);
  });
});
