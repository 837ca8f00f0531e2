import { describe, expect, it } from 'vitest';
import type { TestContext } from '../helpers/harness';
import { expectError, expectJson, withAdminContext, v1Status, type Caller } from '../helpers/http';

// Fields a caller may not set through a body must be refused (400) or ignored, never applied.

let ctx: TestContext;
let admin: Caller;
withAdminContext((context, caller) => {
  ctx = context;
  admin = caller;
});

const CHOSEN_KEY = `sgk_${'A'.repeat(43)}`;
const CHOSEN_TOKEN = `sgt_${'B'.repeat(22)}`;
const FORGED: Record<string, unknown> = {
  id: 'chosen-id',
  apiAccess: { authorized: true },
  apiAuthorized: true,
  grants: { customers: 'expanded' },
  settings: { warehouse: 'WH1', priceCustomer: 'C001' },
  createdAt: '2000-01-01T00:00:00.000Z',
  updatedAt: '2000-01-01T00:00:00.000Z',
  lastUsedAt: '2000-01-01T00:00:00.000Z',
  credentials: [{ token: CHOSEN_TOKEN, key: CHOSEN_KEY }],
};

/** A refusal must be 400 invalid_request; anything accepted is checked by reading back. */
async function refusedOrIgnored(response: Response, field: string): Promise<boolean> {
  if (response.status === 400) {
    const error = await expectError(response, 400, 'invalid_request');
    expect(error.error.message).toContain(field);
    return true;
  }
  expect(response.status).toBeLessThan(300);
  return false;
}

async function storedUser(id: string) {
  return structuredClone(await ctx.services.store.security.getUser(id));
}

describe('POST /admin/users never applies server-owned fields', () => {
  it.each(Object.keys(FORGED))('"%s"', async (field) => {
    const response = await admin('POST', '/admin/users', { username: 'mallory', email: 'm@example.com', kind: 'portal', [field]: FORGED[field] });
    if (await refusedOrIgnored(response, field)) {
      expect(await ctx.services.store.security.findUserByUsername('mallory')).toBeUndefined();
      return;
    }
    const user = await ctx.services.store.security.findUserByUsername('mallory');
    expect(user).toMatchObject({ apiAuthorized: false, grants: {}, settings: { warehouse: '', priceCustomer: '' } });
    expect(user?.id).not.toBe('chosen-id');
    expect(user?.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(await ctx.services.store.security.listCredentials(user!.id)).toEqual([]);
  });
});

describe('PATCH /admin/users/:id never applies server-owned fields', () => {
  it.each([...Object.keys(FORGED), 'kind'])('"%s"', async (field) => {
    const victim = await ctx.createUser({ authorized: false, kind: 'api' });
    const before = (await storedUser(victim.user.id));
    const value = field === 'kind' ? 'portal' : FORGED[field];
    const response = await admin('PATCH', `/admin/users/${victim.user.id}`, { [field]: value });
    if (!(await refusedOrIgnored(response, field))) {
      const after = (await storedUser(victim.user.id));
      expect({ ...after, updatedAt: before?.updatedAt }).toEqual(before);
    } else {
      expect((await storedUser(victim.user.id))).toEqual(before);
    }
    expect(await ctx.services.store.security.getUser('chosen-id')).toBeUndefined();
  });
});

describe('credential bodies never let a caller choose a token, key, id or timestamps', () => {
  it('PUT api-access', async () => {
    const alice = await ctx.createUser({ authorized: false });
    const response = await admin('PUT', `/admin/users/${alice.user.id}/api-access`, { authorized: true, key: CHOSEN_KEY, token: CHOSEN_TOKEN });
    if (!(await refusedOrIgnored(response, 'key'))) {
      expect(await ctx.services.store.security.findCredentialByToken(CHOSEN_TOKEN)).toBeUndefined();
    }
    expect(await v1Status(ctx, { token: CHOSEN_TOKEN, key: CHOSEN_KEY })).toBe(401);
  });

  it('POST credentials', async () => {
    const alice = await ctx.createUser();
    for (const [field, value] of Object.entries({
      key: CHOSEN_KEY,
      token: CHOSEN_TOKEN,
      id: 'chosen-id',
      expiresAt: '2999-01-01T00:00:00.000Z',
      revokedAt: null,
      userId: 'someone-else',
    })) {
      const response = await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: 'x', [field]: value });
      if (!(await refusedOrIgnored(response, field))) {
        const issued = await response.json();
        expect(issued[field]).not.toEqual(value);
      }
    }
    expect(await ctx.services.store.security.findCredentialByToken(CHOSEN_TOKEN)).toBeUndefined();
    expect(await ctx.services.store.security.getCredential('chosen-id')).toBeUndefined();
    expect(await ctx.services.store.security.listCredentials('someone-else')).toEqual([]);
  });
});

describe('other admin bodies', () => {
  it('PUT settings refuses grants and other fields', async () => {
    const alice = await ctx.createUser();
    const before = (await storedUser(alice.user.id));
    for (const [field, value] of Object.entries({ grants: { customers: 'expanded' }, roles: ['system-admin'], active: false })) {
      await refusedOrIgnored(await admin('PUT', `/admin/users/${alice.user.id}/settings`, { [field]: value }), field);
    }
    expect((await storedUser(alice.user.id))).toMatchObject({ grants: before?.grants, roles: before?.roles, active: true });
  });

  it('POST organizations and teams do not take a chosen id or createdAt', async () => {
    for (const [path, body] of [
      ['/admin/organizations', { name: 'Acme', kind: 'provider' }],
      ['/admin/teams', { name: 'North' }],
    ] as const) {
      for (const [field, value] of Object.entries({ id: 'chosen-id', createdAt: '2000-01-01T00:00:00.000Z' })) {
        const response = await admin('POST', path, { ...body, [field]: value });
        if (!(await refusedOrIgnored(response, field))) {
          const created = await expectJson(response, 201);
          expect(created[field]).not.toBe(value);
        }
      }
    }
    expect(await ctx.services.store.security.getOrganization('chosen-id')).toBeUndefined();
    expect(await ctx.services.store.security.getTeam('chosen-id')).toBeUndefined();
  });
});
