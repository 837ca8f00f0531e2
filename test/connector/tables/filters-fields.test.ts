import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TablePage } from '../../../connector/contract';
import { DEMO_ORGANIZATIONS } from '../../../connector/demo/organizations';
import { demoRows } from '../../../connector/demo/rows';
import { seedDemoData } from '../../../connector/demo/seed-data';
import { splitCoded } from '../../../connector/tables/coded';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';

/** `fields=` and `filter[FIELD]=` on GET /v1/tables/:table (contract v1.1, "Data filters and fields"). */
let ctx: TestContext;
let analyst: TestUser; // Northwind: customers expanded, products standard with a price customer
let basicOnly: TestUser;
let unpriced: TestUser;

const northwindFamily = new Set(DEMO_ORGANIZATIONS.filter((org) => org.id === 'org-northwind' || org.parent === 'org-northwind').map((org) => org.id));
const visibleCustomers = demoRows('customers').filter((row) => northwindFamily.has(row.organization as string));

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoData(ctx.services.store, ctx.services.tables);
  analyst = await ctx.createUser({
    organizations: ['org-northwind'],
    grants: { customers: 'expanded', products: 'standard' },
    settings: { priceCustomer: 'C0001' },
  });
  basicOnly = await ctx.createUser({ organizations: ['org-northwind'], grants: { customers: 'basic' } });
  unpriced = await ctx.createUser({ organizations: ['org-northwind'], grants: { products: 'standard' } });
});

afterAll(() => ctx.close());

async function get(user: TestUser, path: string) {
  const response = await ctx.request('GET', path, { headers: user.headers });
  return { status: response.status, body: (await response.json()) as TablePage & { error?: { code: string; message: string } } };
}

async function readAll(user: TestUser, path: string, limit: number) {
  const rows: TablePage['rows'] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await get(user, `${path}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(status, JSON.stringify(body.error)).toBe(200);
    rows.push(...body.rows);
    cursor = body.nextCursor;
  } while (cursor !== null);
  return rows;
}

async function expectInvalid(user: TestUser, path: string, names: RegExp) {
  const { status, body } = await get(user, path);
  expect({ status, code: body.error?.code }).toEqual({ status: 400, code: 'invalid_request' });
  expect(body.error?.message).toMatch(names);
}

const q = encodeURIComponent;

describe('fields=', () => {
  test('only the named columns, in the table order, with the key always included', async () => {
    const { status, body } = await get(analyst, `/v1/tables/customers?format=standard&fields=${q('Balance,Sales Rep')}&limit=3`);
    expect(status).toBe(200);
    expect(body.columns.map((c) => c.name)).toEqual(['Code', 'Sales Rep', 'Balance']);
    expect(body.rows.map((row) => Object.keys(row))).toEqual(Array(3).fill(['Code', 'Sales Rep', 'Balance']));
    expect(body.rows.map((row) => row.Code)).toEqual(visibleCustomers.slice(0, 3).map((row) => row.Code));
  });

  test('may name a sub-resource; names around commas are trimmed', async () => {
    const { body } = await get(analyst, `/v1/tables/customers?format=detail&fields=${q(' Name , Delivery Addresses')}&limit=2`);
    expect(body.columns.map((c) => c.name)).toEqual(['Code', 'Name', 'Delivery Addresses']);
    expect(Array.isArray(body.rows[0]!['Delivery Addresses'])).toBe(true);
  });

  test.each([
    ['a column above the format', 'basic', 'Sales Rep', /"fields".*"Sales Rep"/],
    ['an unknown column', 'standard', 'Name,Nope', /"fields".*"Nope"/],
    ['nothing', 'basic', '', /"fields"/],
    ['given twice', 'basic', 'Code&fields=Name', /fields/],
  ])('%s is 400 naming the field', async (_what, format, fields, message) => {
    await expectInvalid(analyst, `/v1/tables/customers?format=${format}&fields=${q(fields)}`, message);
  });

  test('a column derived from a setting the caller lacks is not a column for them', async () => {
    expect((await get(analyst, '/v1/tables/products?format=standard&fields=Price&limit=1')).body.columns.map((c) => c.name)).toEqual(['Code', 'Price']);
    await expectInvalid(unpriced, '/v1/tables/products?format=standard&fields=Price', /"Price"/);
  });
});

describe('filter[FIELD]=', () => {
  const rep = visibleCustomers[0]!['Sales Rep'] as string;
  const withRep = visibleCustomers.filter((row) => row['Sales Rep'] === rep).map((row) => row.Code);

  test('a coded field matches its display form or its code, paged to the end', async () => {
    expect(withRep.length).toBeGreaterThan(1);
    expect(withRep.length).toBeLessThan(visibleCustomers.length);
    const byDisplay = await readAll(analyst, `/v1/tables/customers?format=standard&filter[Sales%20Rep]=${q(rep)}`, 3);
    expect(byDisplay.map((row) => row.Code)).toEqual(withRep);
    const byCode = await readAll(analyst, `/v1/tables/customers?format=expanded&filter[Sales%20Rep]=${q(splitCoded(rep).Code)}`, 2);
    expect(byCode.map((row) => row.Code)).toEqual(withRep);
  });

  test('numbers numerically, booleans true/false, dates as YYYY-MM-DD, all filters at once', async () => {
    const sample = visibleCustomers[1]!;
    const limit = sample['Credit Limit'] as number;
    const written = Number.isInteger(limit) ? `${limit}.0` : String(limit);
    const byNumber = await readAll(analyst, `/v1/tables/customers?format=standard&filter[Credit%20Limit]=${written}`, 1000);
    expect(byNumber.map((row) => row.Code)).toEqual(visibleCustomers.filter((row) => row['Credit Limit'] === limit).map((row) => row.Code));

    const active = await readAll(analyst, '/v1/tables/customers?format=standard&filter[Active]=false', 1000);
    expect(active.map((row) => row.Code)).toEqual(visibleCustomers.filter((row) => row.Active === false).map((row) => row.Code));

    const day = String(sample.Created).slice(0, 10);
    const both = await readAll(analyst, `/v1/tables/customers?format=standard&filter[Created]=${day}&filter[Code]=${q(String(sample.Code))}`, 1000);
    expect(both.map((row) => row.Code)).toEqual([sample.Code]);
  });

  test('strings match exactly; rows the caller may not see never match', async () => {
    expect(await readAll(analyst, `/v1/tables/customers?filter[Name]=${q(String(visibleCustomers[0]!.Name).toUpperCase())}`, 10)).toEqual([]);
    const hidden = demoRows('customers').find((row) => !northwindFamily.has(row.organization as string))!;
    expect(await readAll(analyst, `/v1/tables/customers?filter[Code]=${q(String(hidden.Code))}`, 10)).toEqual([]);
  });

  test('a derived field filters by the value the caller sees', async () => {
    const all = await readAll(analyst, '/v1/tables/products?format=standard', 10000);
    const price = all[0]!.Price as number;
    const matched = await readAll(analyst, `/v1/tables/products?format=standard&filter[Price]=${price}`, 10000);
    expect(matched.map((row) => row.Code)).toEqual(all.filter((row) => row.Price === price).map((row) => row.Code));
  });

  test.each([
    ['a field above the format', basicOnly, 'filter[Sales%20Rep]=01', /"filter\[Sales Rep\]"/],
    ['a sub-resource', null, 'format=detail&filter[Delivery%20Addresses]=x', /"filter\[Delivery Addresses\]"/],
    ['an unknown field', null, 'filter[organization]=org-northwind', /"filter\[organization\]"/],
    ['a number that is not one', null, 'format=standard&filter[Balance]=12abc', /"filter\[Balance\]".*number/],
    ['a boolean that is not one', null, 'format=standard&filter[Active]=yes', /"filter\[Active\]"/],
    ['a date in another form', null, 'format=standard&filter[Created]=31.05.2024', /"filter\[Created\]".*YYYY-MM-DD/],
    ['an impossible date', null, 'format=standard&filter[Created]=2024-02-30', /"filter\[Created\]"/],
    ['the same field twice', null, 'filter[Name]=a&filter[Name]=b', /"filter\[Name\]"/],
    ['a filter without a field', null, 'filter=Name', /"filter"/],
  ])('%s is 400 naming the field', async (_what, user, query, message) => {
    await expectInvalid(user ?? analyst, `/v1/tables/customers?${query}`, message);
  });
});

describe('cursors are bound to table, format, fields and filters', () => {
  test('reused with other ones they are 400; with the same ones they continue', async () => {
    const base = '/v1/tables/customers?format=standard&fields=Name&filter[Active]=true&limit=2';
    const first = await get(analyst, base);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const cursor = `&cursor=${q(first.body.nextCursor!)}`;
    expect((await get(analyst, base + cursor)).status).toBe(200);
    for (const other of [
      '/v1/tables/customers?format=detail&fields=Name&filter[Active]=true&limit=2',
      '/v1/tables/customers?format=standard&fields=Name,City&filter[Active]=true&limit=2',
      '/v1/tables/customers?format=standard&fields=Name&filter[Active]=false&limit=2',
      '/v1/tables/customers?format=standard&fields=Name&limit=2',
      '/v1/tables/customers?format=standard&filter[Active]=true&limit=2',
    ]) {
      await expectInvalid(analyst, other + cursor, /"cursor"/);
    }
    // The order of fields and of filters in the URL does not matter.
    const reordered = '/v1/tables/customers?filter[Active]=true&fields=Code,Name&format=standard&limit=2';
    expect((await get(analyst, reordered + cursor)).status).toBe(200);
  });
});
