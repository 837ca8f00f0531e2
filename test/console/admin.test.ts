import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse, TablePage } from '../../connector/contract';
import { grantableTables, mayChangeAccess, offeredRoles, offeredTeams, pickerChoices, whoSignedIn } from '../../console/src/admin';
import { AdminClient, ConsoleError } from '../../console/src/client';

const BASE = 'http://connector.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const pairClient = () => new AdminClient({ kind: 'pair', token: 'sgt_t', key: 'sgk_k' }, BASE);
const keyClient = () => new AdminClient({ kind: 'admin-key', adminKey: 'k' }, BASE);

function me(roles: MeResponse['user']['roles'], teams: { id: string; name: string }[] = []): MeResponse {
  return {
    user: { id: 'me-id', username: 'petra.portal', name: 'Petra', email: 'p@example.com', kind: 'portal', roles },
    organizations: [],
    teams,
    credential: { id: 'c', token: 'sgt_t', name: 'default', createdAt: '', expiresAt: null, lastUsedAt: null },
    endpoint: 'https://sheetgate.example',
  };
}

const page = (table: string, rows: TablePage['rows'], nextCursor: string | null): TablePage => ({ table, format: 'basic', columns: [], rows, nextCursor });

describe('who signed in, and what the console offers it', () => {
  it('a portal admin: bounded, its own teams only, members only, never its own access', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.json(me(['portal-admin'], [{ id: 'team-a', name: 'A' }]))));
    const admin = await whoSignedIn(pairClient(), 'http://fallback');
    expect(admin).toMatchObject({ name: 'petra.portal', id: 'me-id', unbounded: false, teams: ['team-a'], endpoint: 'https://sheetgate.example' });
    expect(offeredRoles(admin)).toEqual(['member']);
    const teams = [
      { id: 'team-a', name: 'A', createdAt: '' },
      { id: 'team-b', name: 'B', createdAt: '' },
    ];
    expect(offeredTeams(admin, teams).map((t) => t.id)).toEqual(['team-a']);
    expect(mayChangeAccess(admin, { id: 'me-id' })).toBe(false);
    expect(mayChangeAccess(admin, { id: 'other' })).toBe(true);
  });

  it('a system admin and the admin key: every role and team, their own access included', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.json(me(['system-admin']))));
    const admin = await whoSignedIn(pairClient(), 'http://fallback');
    expect(offeredRoles(admin)).toEqual(['system-admin', 'portal-admin', 'member']);
    expect(mayChangeAccess(admin, { id: 'me-id' })).toBe(true);
    const operator = await whoSignedIn(keyClient(), 'http://origin.example');
    expect(operator).toMatchObject({ id: null, unbounded: true, teams: null, endpoint: 'http://origin.example' });
  });

  it('refuses to sign in a member, with a sentence naming it', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.json(me(['member']))));
    const error = await whoSignedIn(pairClient(), BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsoleError);
    expect((error as ConsoleError).message).toContain('petra.portal is not an administrator');
  });

  it('offers per table the formats up to the admin’s own grant (all five for the admin key)', async () => {
    server.use(
      http.get(`${BASE}/v1/tables`, () =>
        HttpResponse.json({ tables: [{ id: 'customers', title: 'Customers', section: 'Customers', maxFormat: 'standard', formats: ['basic', 'standard'] }] }),
      ),
      http.get(`${BASE}/admin/tables`, () => HttpResponse.json({ tables: [{ id: 'products', title: 'Products', section: 'P', key: 'Code', fields: [], scope: { by: 'none' } }] })),
    );
    expect(await grantableTables(pairClient())).toEqual([{ id: 'customers', title: 'Customers', formats: ['none', 'basic', 'standard'] }]);
    expect(await grantableTables(keyClient())).toEqual([{ id: 'products', title: 'Products', formats: ['none', 'basic', 'standard', 'detail', 'expanded'] }]);
  });

  it('offers the warehouses and customers the admin can read, following every page', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/v1/tables/:table`, ({ request, params }) => {
        const url = new URL(request.url);
        seen.push(`${params.table} ${url.searchParams.get('format')} ${url.searchParams.get('cursor') ?? '-'}`);
        if (params.table === 'customers') return HttpResponse.json(page('customers', [{ Code: 'C1', Name: 'One' }, { Code: 'C2', Name: 'Two' }], null));
        return url.searchParams.get('cursor')
          ? HttpResponse.json(page('stock-levels', [{ Id: 3, Warehouse: 'MAIN' }, { Id: 4, Warehouse: 'EAST' }], null))
          : HttpResponse.json(page('stock-levels', [{ Id: 1, Warehouse: 'MAIN' }, { Id: 2, Warehouse: '' }], 'next'));
      }),
    );
    const readable = [
      { id: 'customers', title: 'Customers', formats: ['none' as const, 'basic' as const] },
      { id: 'stock-levels', title: 'Stock levels', formats: ['none' as const, 'basic' as const] },
    ];
    const choices = await pickerChoices(pairClient(), readable);
    expect(choices).toEqual({ warehouses: ['EAST', 'MAIN'], customers: [{ code: 'C1', name: 'One' }, { code: 'C2', name: 'Two' }] });
    expect(seen.sort()).toEqual(['customers basic -', 'stock-levels basic -', 'stock-levels basic next']);
  });

  it('a refused read offers nothing, and the admin key (which reads no data) gets free text only', async () => {
    server.use(http.get(`${BASE}/v1/tables/:table`, () => HttpResponse.json({ error: { code: 'no_access', message: 'No access.' } }, { status: 403 })));
    const readable = [{ id: 'stock-levels', title: 'Stock levels', formats: ['none' as const, 'basic' as const] }];
    expect(await pickerChoices(pairClient(), readable)).toEqual({ warehouses: [], customers: [] });
    expect(await pickerChoices(keyClient(), readable)).toEqual({ warehouses: [], customers: [] });
  });
});
