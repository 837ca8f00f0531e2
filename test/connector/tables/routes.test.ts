import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SingleRow, TableList, TablePage } from '../../../connector/contract';
import { DEMO_ORGANIZATIONS } from '../../../connector/demo/organizations';
import { demoRows } from '../../../connector/demo/rows';
import { seedDemoData } from '../../../connector/demo/seed-data';
import { setGrants } from '../../../connector/security/users';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';
import { CLI_ACTOR } from '../../../connector/security/actor';

const ADMIN_KEY = 'test-admin-key-0123456789';

let ctx: TestContext;
let analyst: TestUser; // Northwind (provider): sees its clients' customers
let client: TestUser; // Contoso (client), basic only
let admin: TestUser;
let portalAdmin: TestUser;

const allCustomers = demoRows('customers');
const northwindFamily = new Set(DEMO_ORGANIZATIONS.filter((org) => org.id === 'org-northwind' || org.parent === 'org-northwind').map((org) => org.id));

beforeAll(async () => {
  ctx = await createTestContext({ adminKey: ADMIN_KEY });
  await seedDemoData(ctx.services.store, ctx.services.tables);
  analyst = await ctx.createUser({
    organizations: ['org-northwind'],
    teams: ['team-retail', 'team-online'],
    grants: { customers: 'expanded', products: 'standard', 'stock-levels': 'detail', campaigns: 'basic' },
    settings: { warehouse: 'NORTH', priceCustomer: 'C0001' },
  });
  client = await ctx.createUser({ organizations: ['org-contoso'], grants: { customers: 'basic', products: 'basic', 'stock-levels': 'basic' } });
  admin = await ctx.createUser({ roles: ['system-admin'] });
  portalAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: ['org-northwind'], grants: { customers: 'standard' } });
});

afterAll(() => ctx.close());

async function get<T>(user: TestUser, path: string): Promise<{ status: number; body: T; response: Response }> {
  const response = await ctx.request('GET', path, { headers: user.headers });
  return { status: response.status, body: (await response.json()) as T, response };
}

async function expectError(response: Promise<{ status: number; body: unknown }>, status: number, code: string, message?: RegExp) {
  const { status: actual, body } = await response;
  expect({ status: actual, code: (body as { error: { code: string } }).error.code }).toEqual({ status, code });
  if (message) expect((body as { error: { message: string } }).error.message).toMatch(message);
}

async function readAll(user: TestUser, path: string, limit: number) {
  const rows: TablePage['rows'] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const url: string = `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { status, body } = await get<TablePage>(user, url);
    expect(status).toBe(200);
    expect(body.rows.length).toBeLessThanOrEqual(limit);
    rows.push(...body.rows);
    cursor = body.nextCursor;
    pages++;
  } while (cursor !== null && pages < 1000);
  return { rows, pages };
}

describe('GET /v1/tables', () => {
  test('lists only the tables granted, with their formats', async () => {
    const { status, body } = await get<TableList>(client, '/v1/tables');
    expect(status).toBe(200);
    expect(body.tables.map((table) => table.id).sort()).toEqual(['customers', 'products', 'stock-levels']);
    expect(body.tables.find((table) => table.id === 'customers')).toEqual({
      id: 'customers',
      title: 'Customers',
      section: 'Customers',
      maxFormat: 'basic',
      formats: ['basic'],
    });
  });

  test('a system admin holds an implicit expanded grant on every table', async () => {
    const { body } = await get<TableList>(admin, '/v1/tables');
    expect(body.tables).toHaveLength(4);
    for (const table of body.tables) expect(table.formats).toEqual(['basic', 'standard', 'detail', 'expanded']);
  });

  test('a user with no grants sees an empty list', async () => {
    const nobody = await ctx.createUser({ organizations: ['org-contoso'] });
    expect((await get<TableList>(nobody, '/v1/tables')).body).toEqual({ tables: [] });
  });
});

describe('GET /v1/tables/:table', () => {
  test('defaults to basic and the first 1000 rows, with no-store', async () => {
    const { status, body, response } = await get<TablePage>(analyst, '/v1/tables/customers');
    expect(status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.format).toBe('basic');
    expect(body.columns).toEqual([
      { name: 'Code', type: 'string' },
      { name: 'Name', type: 'string' },
    ]);
    expect(body.rows.every((row) => Object.keys(row).join() === 'Code,Name')).toBe(true);
    expect(body.nextCursor).toBeNull();
  });

  test("a provider's member pages through its own and its clients' customers exactly once", async () => {
    const expected = allCustomers.filter((row) => northwindFamily.has(row.organization as string)).map((row) => row.Code);
    const { rows, pages } = await readAll(analyst, '/v1/tables/customers', 37);
    expect(rows.map((row) => row.Code)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 37));
  });

  test("a client's member sees its own customers only", async () => {
    const { rows } = await readAll(client, '/v1/tables/customers', 1000);
    expect(rows.map((row) => row.Code)).toEqual(allCustomers.filter((row) => row.organization === 'org-contoso').map((row) => row.Code));
  });

  test('a system admin sees every row', async () => {
    const { rows } = await readAll(admin, '/v1/tables/customers?format=standard', 10000);
    expect(rows).toHaveLength(allCustomers.length);
  });

  test('expanded breaks out coded fields and adds sub-resources', async () => {
    const { body } = await get<TablePage>(analyst, '/v1/tables/customers?format=expanded&limit=5');
    expect(body.columns.find((column) => column.name === 'Sales Rep')?.type).toBe('coded');
    expect(body.columns.find((column) => column.name === 'Delivery Addresses')?.type).toBe('table');
    const rep = body.rows[0]['Sales Rep'] as { Code: string; DisplayAs: string };
    expect(rep.DisplayAs.startsWith(`${rep.Code} - `)).toBe(true);
    expect(body.rows[0]).not.toHaveProperty('organization');
  });

  test('product prices follow the price customer, and are absent without one', async () => {
    const products = demoRows('products');
    const priced = await get<TablePage>(analyst, '/v1/tables/products?format=standard&limit=3');
    expect(priced.body.rows.map((row) => [row.Code, row['Price List'], row.Price])).toEqual(
      products.slice(0, 3).map((row) => [row.Code, 'B', (row.Prices as Array<{ Price: number }>)[1].Price]),
    );
    const unpriced = await get<TablePage>(admin, '/v1/tables/products?format=expanded&limit=3');
    expect(unpriced.body.columns.map((column) => column.name)).not.toContain('Price');
    expect(unpriced.body.rows[0]).not.toHaveProperty('Price');
    expect(unpriced.body.rows[0]).not.toHaveProperty('Prices');
  });

  test("stock levels show the setting's warehouse only; none when it is blank", async () => {
    const { rows } = await readAll(analyst, '/v1/tables/stock-levels', 1000);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((row) => row.Warehouse))).toEqual(new Set(['NORTH']));
    const blank = await get<TablePage>(client, '/v1/tables/stock-levels');
    expect(blank.body).toMatchObject({ rows: [], nextCursor: null });
  });

  test("campaigns show the member's teams only", async () => {
    const { rows } = await readAll(analyst, '/v1/tables/campaigns', 1000);
    const expected = demoRows('campaigns').filter((row) => row.team === 'team-retail' || row.team === 'team-online');
    expect(rows.map((row) => row.Id)).toEqual(expected.map((row) => row.Id));
    expect(Object.keys(rows[0])).toEqual(['Id', 'Name', 'Status']);
  });

  test('a table without a grant is no_access; an unknown table not_found', async () => {
    await expectError(get(client, '/v1/tables/campaigns'), 403, 'no_access');
    await expectError(get(client, '/v1/tables/nope'), 404, 'not_found');
  });

  test('a format above the grant is tier_not_granted naming the highest granted format', async () => {
    await expectError(get(client, '/v1/tables/customers?format=standard'), 403, 'tier_not_granted', /"basic"/);
    await expectError(get(portalAdmin, '/v1/tables/customers?format=expanded'), 403, 'tier_not_granted', /"standard"/);
  });

  test('an unknown format name is invalid_request', async () => {
    await expectError(get(client, '/v1/tables/customers?format=full'), 400, 'invalid_request', /format/);
    await expectError(get(client, '/v1/tables/customers?format=none'), 400, 'invalid_request', /format/);
  });

  test.each(['0', '10001', '-5', '2.5', 'many'])('limit=%s is invalid_request naming limit', async (limit) => {
    await expectError(get(client, `/v1/tables/customers?limit=${limit}`), 400, 'invalid_request', /limit/);
  });

  test('limit=10000 is accepted', async () => {
    expect((await get(client, '/v1/tables/customers?limit=10000')).status).toBe(200);
  });

  test("a bad or another table's cursor is invalid_request", async () => {
    await expectError(get(client, '/v1/tables/customers?cursor=nonsense'), 400, 'invalid_request', /cursor/);
    const { body } = await get<TablePage>(admin, '/v1/tables/products?limit=1');
    await expectError(get(client, `/v1/tables/customers?cursor=${body.nextCursor}`), 400, 'invalid_request', /cursor/);
  });

  test('a grant change applies on the very next request', async () => {
    const user = await ctx.createUser({ organizations: ['org-contoso'], grants: { customers: 'detail' } });
    expect((await get(user, '/v1/tables/customers?format=detail')).status).toBe(200);
    await setGrants(ctx.services, CLI_ACTOR, user.user.id, { customers: 'none' });
    await expectError(get(user, '/v1/tables/customers?format=basic'), 403, 'no_access');
  });
});

describe('GET /v1/tables/:table/rows/:key', () => {
  const contosoCode = allCustomers.find((row) => row.organization === 'org-contoso')!.Code as string;
  const adventureCode = allCustomers.find((row) => row.organization === 'org-litware')!.Code as string;

  test('returns one visible row in the format asked', async () => {
    const { status, body } = await get<SingleRow>(analyst, `/v1/tables/customers/rows/${contosoCode}?format=detail`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ table: 'customers', format: 'detail', row: { Code: contosoCode } });
    expect(body.columns.some((column) => column.name === 'Alerts')).toBe(true);
    expect(Array.isArray(body.row['Delivery Addresses'])).toBe(true);
  });

  test('a row the caller may not see is not_found exactly as a missing one', async () => {
    const hidden = await get<{ error: { message: string } }>(analyst, `/v1/tables/customers/rows/${adventureCode}`);
    const missing = await get<{ error: { message: string } }>(analyst, '/v1/tables/customers/rows/C9999');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body.error.message.replace(adventureCode, 'KEY')).toBe(missing.body.error.message.replace('C9999', 'KEY'));
    expect((hidden.body as unknown as { error: { code: string } }).error.code).toBe('not_found');
  });

  test('number keys are found by their text', async () => {
    const { body } = await get<SingleRow>(admin, '/v1/tables/campaigns/rows/1');
    expect(body.row.Id).toBe(1);
  });

  test('grants and formats are checked as for pages', async () => {
    await expectError(get(client, `/v1/tables/customers/rows/${contosoCode}?format=detail`), 403, 'tier_not_granted');
    await expectError(get(client, '/v1/tables/campaigns/rows/1'), 403, 'no_access');
  });
});

describe('admin table routes', () => {
  const newCustomer = (code: string, extra: Record<string, unknown> = {}) => ({
    Code: code,
    Name: `Imported ${code}`,
    'Sales Rep': '02 - Maria Garcia',
    organization: 'org-contoso',
    ...extra,
  });

  test('GET /admin/tables lists every definition with fields and scope', async () => {
    const response = await ctx.request('GET', '/admin/tables', { headers: admin.headers });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { tables: Array<{ id: string; scope: unknown; fields: unknown[] }> };
    expect(body.tables.map((table) => table.id).sort()).toEqual(['campaigns', 'customers', 'products', 'stock-levels']);
    expect(body.tables.find((table) => table.id === 'customers')?.scope).toEqual({ by: 'organization', field: 'organization' });
  });

  test('only system admins may use them; a portal admin is forbidden even with a bad body', async () => {
    await expectError(ctx.request('GET', '/admin/tables', { headers: portalAdmin.headers }).then(asResult), 403, 'forbidden');
    await expectError(
      ctx.request('POST', '/admin/tables/customers/rows', { headers: portalAdmin.headers, body: { nope: 1 } }).then(asResult),
      403,
      'forbidden',
    );
    await expectError(ctx.request('GET', '/admin/tables', { headers: analyst.headers }).then(asResult), 403, 'forbidden');
  });

  test('POST upserts rows, audited; the new rows are visible at once', async () => {
    const response = await ctx.request('POST', '/admin/tables/customers/rows', {
      headers: admin.headers,
      body: { rows: [newCustomer('Z0001'), newCustomer('Z0002')] },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ upserted: 2 });
    const row = await get<SingleRow>(client, '/v1/tables/customers/rows/Z0002');
    expect(row.body.row).toEqual({ Code: 'Z0002', Name: 'Imported Z0002' });
    await ctx.services.store.audit.flush();
    const audit = await ctx.services.store.audit.list(20);
    expect(audit.some((entry) => entry.action === 'table.rows.upsert 2' && entry.target === 'customers' && entry.actorId === admin.user.id)).toBe(true);
  });

  test('a bad row refuses the whole batch, naming its index and field', async () => {
    const response = await ctx.request('POST', '/admin/tables/customers/rows', {
      headers: admin.headers,
      body: { rows: [newCustomer('Z0100'), newCustomer('Z0101', { 'Credit Limit': 'lots' })] },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: 'Row 1, field "Credit Limit": expected a number.' },
    });
    expect((await get(admin, '/v1/tables/customers/rows/Z0100')).status).toBe(404);
  });

  test.each([
    [{}, /rows/],
    [{ rows: 'x' }, /rows/],
    [{ rows: [], extra: 1 }, /extra/],
  ])('a malformed body %j is invalid_request', async (body, message) => {
    const response = await ctx.request('POST', '/admin/tables/customers/rows', { headers: admin.headers, body });
    await expectError(asResult(response), 400, 'invalid_request', message);
  });

  test('non-JSON is invalid_request', async () => {
    const response = await ctx.request('POST', '/admin/tables/customers/rows', { headers: admin.headers, body: '{not json' });
    await expectError(asResult(response), 400, 'invalid_request');
  });

  test('an unknown table is not_found', async () => {
    const response = await ctx.request('POST', '/admin/tables/nope/rows', { headers: admin.headers, body: { rows: [] } });
    await expectError(asResult(response), 404, 'not_found');
  });

  test('the global admin key may import', async () => {
    const response = await ctx.request('POST', '/admin/tables/campaigns/rows', {
      headers: { 'X-Admin-Key': ADMIN_KEY },
      body: { rows: [{ Id: 9001, Name: 'Key import', Status: 'Planned', team: 'team-events' }] },
    });
    expect(response.status).toBe(200);
  });

  test('DELETE removes a row (204), audited; a missing row is not_found', async () => {
    await ctx.request('POST', '/admin/tables/customers/rows', { headers: admin.headers, body: { rows: [newCustomer('Z0200')] } });
    const response = await ctx.request('DELETE', '/admin/tables/customers/rows/Z0200', { headers: admin.headers });
    expect(response.status).toBe(204);
    expect((await get(admin, '/v1/tables/customers/rows/Z0200')).status).toBe(404);
    await expectError(ctx.request('DELETE', '/admin/tables/customers/rows/Z0200', { headers: admin.headers }).then(asResult), 404, 'not_found');
    await ctx.services.store.audit.flush();
    const audit = await ctx.services.store.audit.list(20);
    expect(audit.some((entry) => entry.action === 'table.rows.delete' && entry.target === 'customers/Z0200')).toBe(true);
  });
});

test('the OpenAPI document describes the table routes', async () => {
  const response = await ctx.request('GET', '/openapi.json');
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  expect(Object.keys(document.paths)).toEqual(
    expect.arrayContaining(['/v1/tables', '/v1/tables/{table}', '/v1/tables/{table}/rows/{key}', '/admin/tables', '/admin/tables/{table}/rows', '/admin/tables/{table}/rows/{key}']),
  );
  expect(Object.keys(document.paths['/admin/tables/{table}/rows/{key}'])).toEqual(['delete']);
});

async function asResult(response: Response) {
  return { status: response.status, body: (await response.json()) as unknown };
}
