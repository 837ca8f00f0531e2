import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_TEAMS, DEMO_WAREHOUSES } from '../../../connector/demo/organizations';
import { demoRows } from '../../../connector/demo/rows';
import { seedDemoData } from '../../../connector/demo/seed-data';
import { openLowdbStore } from '../../../connector/store/open-store';
import { loadCatalog } from '../../../connector/tables/load-catalog';
import { validateRows } from '../../../connector/tables/validate-rows';
import { allRows } from '../../helpers/rows';

const catalog = loadCatalog();
const orgIds = new Set(DEMO_ORGANIZATIONS.map((org) => org.id));
const teamIds = new Set(DEMO_TEAMS.map((team) => team.id));
const distinct = (values: unknown[]) => new Set(values).size;

describe('demo rows', () => {
  test.each(['customers', 'products', 'stock-levels', 'campaigns'])('%s are valid against their definition', (id) => {
    const rows = demoRows(id);
    expect(rows.length).toBeGreaterThan(50);
    expect(validateRows(catalog.get(id)!, rows, (by, value) => (by === 'organization' ? orgIds : teamIds).has(value))).toHaveLength(rows.length);
  });

  test('are the same on every call', () => {
    for (const id of ['customers', 'products', 'stock-levels', 'campaigns']) expect(demoRows(id)).toEqual(demoRows(id));
  });

  test('none for a table the demo does not know', () => {
    expect(demoRows('operator-table')).toEqual([]);
  });

  test('customers: a few hundred, over every demo organization, with coded reps, addresses and alerts', () => {
    const rows = demoRows('customers');
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((row) => row.organization))).toEqual(orgIds);
    expect(rows.every((row) => /^\d{2} - \S/.test(row['Sales Rep'] as string))).toBe(true);
    expect(distinct(rows.map((row) => row['Sales Rep']))).toBeGreaterThan(4);
    expect(rows.every((row) => (row['Delivery Addresses'] as unknown[]).length >= 1)).toBe(true);
    expect(rows.filter((row) => (row.Alerts as unknown[]).length > 0).length).toBeGreaterThan(30);
  });

  test('the pinned price customers', () => {
    const byCode = new Map(demoRows('customers').map((row) => [row.Code, row]));
    expect(byCode.get('C0001')).toMatchObject({ organization: 'org-contoso', 'Price List': 'B' });
    expect(byCode.get('C0002')).toMatchObject({ organization: 'org-litware', 'Price List': 'C' });
  });

  test('products have a price on every price list', () => {
    for (const row of demoRows('products')) {
      expect((row.Prices as Array<Record<string, unknown>>).map((price) => price['Price List'])).toEqual(['A', 'B', 'C']);
    }
  });

  test('stock levels cover three warehouses, campaigns several teams', () => {
    expect(new Set(demoRows('stock-levels').map((row) => row.Warehouse))).toEqual(new Set(DEMO_WAREHOUSES));
    expect(new Set(demoRows('campaigns').map((row) => row.team))).toEqual(teamIds);
  });
});

test('seedDemoData stores organizations, teams and rows, and can run twice', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sheetgate-demo-'));
  const store = await openLowdbStore(dir, catalog.list().map((table) => table.id));
  try {
    await seedDemoData(store, catalog);
    await seedDemoData(store, catalog);
    expect((await store.security.listOrganizations()).map((org) => org.id)).toEqual(DEMO_ORGANIZATIONS.map((org) => org.id));
    expect(await store.security.getOrganization('org-contoso')).toMatchObject({ kind: 'client', parent: 'org-northwind' });
    expect((await store.security.listTeams()).map((team) => team.id)).toEqual(DEMO_TEAMS.map((team) => team.id));
    for (const table of catalog.list()) expect((await allRows(store, table.id, table.key))).toHaveLength(demoRows(table.id).length);
    expect((await store.rows.get('campaigns', '1'))?.Id).toBe(1);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
