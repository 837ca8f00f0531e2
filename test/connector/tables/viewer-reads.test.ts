import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedDemoData } from '../../../connector/demo/seed-data';
import { readTablePageJson, readTableRow, type Reader, type TableReading } from '../../../connector/tables/read-table';
import { createTestContext, type TestContext } from '../../helpers/harness';
import { readerOf } from '../../helpers/reader';

// A page reads no organization list: the viewer's organizations (its own and a provider's clients)
// come with the principal, read in the same statement as the user (`findPrincipal`).

let ctx: TestContext;
let provider: Reader;
let client: Reader;
let reads = 0;
let services: TableReading;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoData(ctx.services.store, ctx.services.tables);
  const all = { customers: 'expanded', products: 'expanded', 'stock-levels': 'expanded', campaigns: 'expanded' } as const;
  const security = ctx.services.store.security;
  provider = await readerOf(security, await ctx.createUser({ organizations: ['org-northwind'], teams: ['team-retail'], grants: all, settings: { warehouse: 'MAIN' } }));
  client = await readerOf(security, await ctx.createUser({ organizations: ['org-contoso'], grants: all }));
  const counted = new Proxy(security, {
    get(target, property) {
      if (property === 'listOrganizations') {
        return () => {
          reads++;
          return target.listOrganizations();
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  services = { tables: ctx.services.tables, store: { ...ctx.services.store, security: counted } };
});

afterAll(() => ctx.close());

/** The organizations owning the customers a reader's page holds (the field is not in any format). */
const owners = async (reader: Reader) => {
  const page = JSON.parse(String(await readTablePageJson(services, reader, 'customers', { limit: '500' }))) as { rows: Array<{ Code: string }> };
  const stored = await Promise.all(page.rows.map((row) => ctx.services.store.rows.get('customers', row.Code)));
  return new Set(stored.map((row) => row?.organization));
};

test("a provider's member sees its clients' rows from the organizations read with it, and no page or row reads the organization list", async () => {
  expect(await owners(provider)).toEqual(new Set(['org-northwind', 'org-contoso', 'org-fabrikam', 'org-tailspin']));
  expect(await owners(client)).toEqual(new Set(['org-contoso']));
  for (const table of ctx.services.tables.list()) {
    const page = JSON.parse(String(await readTablePageJson(services, provider, table.id, { limit: '1' }))) as { rows: Array<Record<string, unknown>> };
    const key = page.rows[0]?.[table.key];
    if (typeof key === 'string') await readTableRow(services, provider, table.id, key);
  }
  expect(reads).toBe(0);
});
