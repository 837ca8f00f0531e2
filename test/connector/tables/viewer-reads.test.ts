import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedDemoData } from '../../../connector/demo/seed-data';
import type { User } from '../../../connector/store/types';
import { readTablePageJson, readTableRow, type TableReading } from '../../../connector/tables/read-table';
import { createTestContext, type TestContext } from '../../helpers/harness';

// A page reads the organization list only when its table is scoped by organization (a provider's
// clients widen the viewer): every other table, and a system admin, skip that read.

let ctx: TestContext;
let member: User;
let admin: User;
let reads = 0;
let services: TableReading;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoData(ctx.services.store, ctx.services.tables);
  const all = { customers: 'expanded', products: 'expanded', 'stock-levels': 'expanded', campaigns: 'expanded' } as const;
  member = (await ctx.createUser({ organizations: ['org-northwind'], teams: ['team-retail'], grants: all, settings: { warehouse: 'MAIN' } })).user;
  admin = (await ctx.createUser({ roles: ['system-admin'], organizations: ['org-northwind'], grants: all })).user;
  const security = ctx.services.store.security;
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

test('only organization-scoped tables read the organization list, and not for a system admin', async () => {
  const tables = ctx.services.tables.list();
  const byOrganization = tables.filter((table) => table.scope.by === 'organization');
  const others = tables.filter((table) => table.scope.by !== 'organization');
  expect(byOrganization.length).toBeGreaterThan(0);
  expect(others.length).toBeGreaterThan(0);

  for (const table of others) {
    if (!(table.id in member.grants)) continue;
    await readTablePageJson(services, member, table.id, { limit: '1' });
  }
  expect(reads).toBe(0);

  for (const table of byOrganization) {
    reads = 0;
    const page = JSON.parse(await readTablePageJson(services, member, table.id, { limit: '1' })) as { rows: Array<Record<string, unknown>> };
    expect(reads).toBe(1);
    const key = page.rows[0]?.[table.key];
    if (typeof key === 'string') {
      reads = 0;
      await readTableRow(services, member, table.id, key);
      expect(reads).toBe(1);
    }
    reads = 0;
    await readTablePageJson(services, admin, table.id, { limit: '1' });
    expect(reads).toBe(0);
  }
});
