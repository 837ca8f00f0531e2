import { describe, expect, test } from 'vitest';
import type { StoredRow } from '../../../connector/store/types';
import { loadCatalog } from '../../../connector/tables/load-catalog';
import { rowFilter, viewerFor } from '../../../connector/tables/scope';
import { organizationsOnly, userWith } from './fixtures';

const catalog = loadCatalog();
const customers = catalog.get('customers')!;
const campaigns = catalog.get('campaigns')!;
const stock = catalog.get('stock-levels')!;
const products = catalog.get('products')!;

const customerRows: StoredRow[] = ['org-northwind', 'org-contoso', 'org-fabrikam', 'org-adventure', 'org-litware', 'org-wingtip'].map(
  (organization, index) => ({ Code: `C${index}`, organization }),
);

function visible(definition = customers, rows = customerRows, user = userWith()) {
  const filter = rowFilter(definition, viewerFor(user, organizationsOnly()));
  return rows.filter((row) => filter === null || filter(row));
}
const owners = (rows: StoredRow[]) => rows.map((row) => row.organization);

describe('organization scope', () => {
  test("a provider's member sees the provider's rows and its clients' rows", () => {
    expect(owners(visible(customers, customerRows, userWith({ organizations: ['org-northwind'] })))).toEqual([
      'org-northwind',
      'org-contoso',
      'org-fabrikam',
    ]);
  });

  test("a client's member sees only its own rows, not its provider's nor sibling clients'", () => {
    expect(owners(visible(customers, customerRows, userWith({ organizations: ['org-contoso'] })))).toEqual(['org-contoso']);
  });

  test('several organizations add up', () => {
    expect(owners(visible(customers, customerRows, userWith({ organizations: ['org-contoso', 'org-wingtip'] })))).toEqual([
      'org-contoso',
      'org-wingtip',
    ]);
  });

  test('no organization, no rows', () => {
    expect(visible(customers, customerRows, userWith())).toEqual([]);
  });

  test('a system admin sees every row', () => {
    expect(visible(customers, customerRows, userWith({ roles: ['system-admin'] }))).toEqual(customerRows);
  });

  test('a portal admin is scoped like any member', () => {
    expect(owners(visible(customers, customerRows, userWith({ roles: ['portal-admin'], organizations: ['org-adventure'] })))).toEqual([
      'org-adventure',
      'org-litware',
    ]);
  });
});

describe('team scope', () => {
  const rows = ['team-retail', 'team-online', 'team-events'].map((team, index) => ({ Id: index, team }));
  test("a member sees its teams' rows only", () => {
    expect(visible(campaigns, rows, userWith({ teams: ['team-retail', 'team-events'] })).map((row) => row.team)).toEqual([
      'team-retail',
      'team-events',
    ]);
  });
  test('organizations do not open team-scoped rows', () => {
    expect(visible(campaigns, rows, userWith({ organizations: ['org-northwind'] }))).toEqual([]);
  });
});

describe('warehouse scope', () => {
  const rows = ['MAIN', 'NORTH', 'SOUTH'].map((Warehouse) => ({ Id: `${Warehouse}-P1`, Warehouse }));
  test("a member sees its setting's warehouse", () => {
    expect(visible(stock, rows, userWith({ settings: { warehouse: 'NORTH', priceCustomer: '' } }))).toEqual([rows[1]]);
  });
  test('a blank warehouse setting shows no rows', () => {
    expect(visible(stock, rows, userWith({ settings: { warehouse: '  ', priceCustomer: '' } }))).toEqual([]);
  });
  test('a system admin sees every warehouse, setting or not', () => {
    expect(visible(stock, rows, userWith({ roles: ['system-admin'] }))).toEqual(rows);
  });
});

test('an unscoped table shows every row to anyone who may read it', () => {
  const rows = [{ Code: 'P1' }, { Code: 'P2' }];
  expect(visible(products, rows, userWith())).toEqual(rows);
});
