import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FORMATS, type DataFormat, type TablePage } from '../../../connector/contract';
import { seedDemoData } from '../../../connector/demo/seed-data';
import { readTablePage, readTablePageJson, type Reader } from '../../../connector/tables/read-table';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';
import { readerOf } from '../../helpers/reader';

// Pages are sent as JSON assembled from rows serialized once per format (a performance cache):
// the text must be exactly what JSON.stringify makes of the page, and never stale or shared
// across formats or viewers whose fields differ.

let ctx: TestContext;
let analyst: Reader; // Northwind, prices of C0001 (list B)
let other: Reader; // Northwind, prices of C0002 (list C)
let unpriced: Reader; // Northwind, no price customer
let basic: Reader; // Contoso, basic only

const DATA_FORMATS = FORMATS.filter((f): f is DataFormat => f !== 'none');

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoData(ctx.services.store, ctx.services.tables);
  const all = { customers: 'expanded', products: 'expanded', 'stock-levels': 'expanded', campaigns: 'expanded' } as const;
  const reader = async (created: Promise<TestUser>) => readerOf(ctx.services.store.security, await created);
  analyst = await reader(ctx.createUser({ organizations: ['org-northwind'], teams: ['team-retail'], grants: all, settings: { warehouse: 'MAIN', priceCustomer: 'C0001' } }));
  other = await reader(ctx.createUser({ organizations: ['org-northwind'], grants: all, settings: { priceCustomer: 'C0002' } }));
  unpriced = await reader(ctx.createUser({ organizations: ['org-northwind'], grants: all }));
  basic = await reader(ctx.createUser({ organizations: ['org-contoso'], grants: { customers: 'basic', products: 'basic' } }));
});

afterAll(() => ctx.close());

async function bothWays(user: Reader, table: string, query: { format?: string; limit?: string; cursor?: string }) {
  const text = await readTablePageJson(ctx.services, user, table, query);
  const page = await readTablePage(ctx.services, user, table, query);
  return { text, page, expected: JSON.stringify(page) };
}

describe('readTablePageJson', () => {
  test('is byte for byte JSON.stringify of the page, for every table, format and page, twice (cold and cached)', async () => {
    for (const user of [analyst, other, unpriced]) {
      for (const table of ['customers', 'products', 'stock-levels', 'campaigns']) {
        for (const format of DATA_FORMATS) {
          for (let pass = 0; pass < 2; pass++) {
            let cursor: string | undefined;
            do {
              const { text, expected, page } = await bothWays(user, table, { format, limit: '70', ...(cursor && { cursor }) });
              expect(text).toBe(expected);
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
          }
        }
      }
    }
  });

  test('a changed row is sent changed, a removed row is gone', async () => {
    // Row 4 of the page: not C0001/C0002, whose price lists the lookup test reads.
    const rows = async () => (JSON.parse(await readTablePageJson(ctx.services, analyst, 'customers', { format: 'standard', limit: '5' })) as TablePage).rows;
    const before = (await rows())[4];
    const stored = (await ctx.services.store.rows.get('customers', before.Code as string))!;
    await ctx.services.store.rows.upsert('customers', 'Code', [{ ...stored, Name: 'Renamed Ltd' }]);
    expect((await rows())[4]).toEqual({ ...before, Name: 'Renamed Ltd' });
    await ctx.services.store.rows.remove('customers', before.Code as string);
    expect((await rows()).map((row) => row.Code)).not.toContain(before.Code);
  });

  test('a lower format never gets the fields a higher one cached', async () => {
    await readTablePageJson(ctx.services, analyst, 'customers', { format: 'expanded', limit: '50' });
    const page = JSON.parse(await readTablePageJson(ctx.services, basic, 'customers', { format: 'basic', limit: '50' })) as TablePage;
    for (const row of page.rows) expect(Object.keys(row)).toEqual(['Code', 'Name']);
  });

  test('fields derived from a viewer setting are the viewer\'s own, never another viewer\'s', async () => {
    const prices = async (user: Reader) =>
      (JSON.parse(await readTablePageJson(ctx.services, user, 'products', { format: 'standard', limit: '3' })) as TablePage).rows.map((row) => row['Price List']);
    expect(await prices(analyst)).toEqual(['B', 'B', 'B']);
    expect(await prices(other)).toEqual(['C', 'C', 'C']);
    expect(await prices(unpriced)).toEqual([undefined, undefined, undefined]);
    expect(await prices(analyst)).toEqual(['B', 'B', 'B']);
  });
});
