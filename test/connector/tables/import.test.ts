import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEMO_ORGANIZATIONS, DEMO_TEAMS } from '../../../connector/demo/organizations';
import { ApiError } from '../../../connector/errors';
import type { Store } from '../../../connector/store/types';
import { importRows, parseRowsFile } from '../../../connector/tables/import';
import { loadCatalog } from '../../../connector/tables/load-catalog';
import { validateRows } from '../../../connector/tables/validate-rows';
import { customerRow } from './fixtures';
import { createTestContext, type TestContext } from '../../helpers/harness';
import { allRows } from '../../helpers/rows';

const catalog = loadCatalog();
const customers = catalog.get('customers')!;
const campaigns = catalog.get('campaigns')!;
const products = catalog.get('products')!;
const stock = catalog.get('stock-levels')!;


function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid_request');
    return error as ApiError;
  }
  throw new Error('expected an invalid_request error');
}

describe('row validation', () => {
  test('accepts good rows as they are', () => {
    expect(validateRows(customers, [customerRow('C1'), customerRow('C2')])).toEqual([customerRow('C1'), customerRow('C2')]);
  });

  test.each([
    [{ 'Credit Limit': '1000' }, 'Row 1, field "Credit Limit": expected a number.'],
    [{ Active: 'yes' }, 'Row 1, field "Active": expected true or false.'],
    [{ Created: '2024-02-30' }, 'Row 1, field "Created": expected an ISO 8601 date'],
    [{ Created: 'yesterday' }, 'Row 1, field "Created": expected an ISO 8601 date'],
    [{ 'Sales Rep': 1 }, 'Row 1, field "Sales Rep": expected a string'],
    [{ Colour: 'red' }, 'Row 1, field "Colour": table "customers" has no such field; its importable fields are Code, Name, '],
    [{ 'Delivery Addresses': { City: 'Paris' } }, 'Row 1, field "Delivery Addresses": expected an array of objects.'],
    [{ 'Delivery Addresses': [{ City: 7 }] }, 'Row 1, field "Delivery Addresses[0].City": expected a string.'],
    [{ 'Delivery Addresses': [{}, 'x'] }, 'Row 1, field "Delivery Addresses[1]": expected an object.'],
    [{ Alerts: [{ Colour: 'red' }] }, 'Row 1, field "Alerts[0].Colour": "Alerts" has no such field; its fields are '],
    [{ Code: null }, 'Row 1, field "Code": the key is required.'],
    [{ Code: '  ' }, 'Row 1, field "Code": the key is required.'],
    [{ Code: 5 }, 'Row 1, field "Code": expected a string.'],
    [{ organization: undefined }, 'Row 1, field "organization": expected the organization id the row belongs to.'],
    [{ organization: 7 }, 'Row 1, field "organization": expected the organization id the row belongs to.'],
  ])('names the row index and field: %j', (change, message) => {
    const rows = [customerRow('C1'), { ...customerRow('C2'), ...change }];
    expect(errorOf(() => validateRows(customers, rows)).message).toContain(message);
  });

  test('refuses a row that is not an object, and rows that are not an array', () => {
    expect(errorOf(() => validateRows(customers, [customerRow('C1'), 'C2'])).message).toBe('Row 1: expected an object of field values.');
    expect(errorOf(() => validateRows(customers, { rows: [] })).message).toMatch(/"rows"/);
  });

  test('refuses a key used twice in one import', () => {
    expect(errorOf(() => validateRows(customers, [customerRow('C1'), customerRow('C2'), customerRow('C1')])).message).toBe(
      'Row 2, field "Code": the key "C1" is already used by row 0.',
    );
  });

  test('refuses computed fields', () => {
    const row = { Code: 'P1', Description: 'Tea', Price: 3 };
    expect(errorOf(() => validateRows(products, [row])).message).toMatch(/^Row 0, field "Price": it is computed/);
  });

  test('checks number keys and team scope', () => {
    expect(validateRows(campaigns, [{ Id: 1, Name: 'A', Status: 'Active', team: 'team-retail' }])).toHaveLength(1);
    expect(errorOf(() => validateRows(campaigns, [{ Id: '1', Name: 'A', team: 'team-retail' }])).message).toBe(
      'Row 0, field "Id": expected a number.',
    );
    expect(errorOf(() => validateRows(campaigns, [{ Id: 1, Name: 'A' }])).message).toBe(
      'Row 0, field "team": expected the team id the row belongs to.',
    );
  });

  test('a warehouse-scoped row needs its warehouse', () => {
    expect(errorOf(() => validateRows(stock, [{ Id: 'MAIN-P1', Product: 'P1 - Tea', 'On Hand': 3 }])).message).toBe(
      'Row 0, field "Warehouse": expected the warehouse code the row belongs to.',
    );
  });

  test('checks that scope ids exist when told how', () => {
    const exists = (by: string, id: string) => by === 'organization' && id === 'org-contoso';
    expect(errorOf(() => validateRows(customers, [customerRow('C1', { organization: 'org-nope' })], exists)).message).toBe(
      'Row 0, field "organization": there is no organization "org-nope".',
    );
  });
});

describe('importing into a store', () => {
  let ctx: TestContext;
  let store: Store;
  beforeEach(async () => {
    // Either store (test/connector/on-postgres/ runs this file again on PostgreSQL).
    ctx = await createTestContext();
    store = ctx.services.store;
    await store.security.transaction(async (draft) => {
      for (const org of DEMO_ORGANIZATIONS) await draft.insertOrganization({ ...org });
      for (const team of DEMO_TEAMS) await draft.insertTeam({ ...team });
    });
  });
  afterEach(async () => {
    await ctx.close();
  });

  test('upserts by key and counts', async () => {
    expect(await importRows(store, customers, [customerRow('C2'), customerRow('C1')])).toBe(2);
    expect(await importRows(store, customers, [customerRow('C1', { Name: 'Renamed' }), customerRow('C3')])).toBe(2);
    expect((await allRows(store, 'customers', 'Code')).map((row) => [row.Code, row.Name])).toEqual([
      ['C1', 'Renamed'],
      ['C2', 'Customer C2'],
      ['C3', 'Customer C3'],
    ]);
  });

  test('is all or nothing', async () => {
    await importRows(store, customers, [customerRow('C1')]);
    const bad = [customerRow('C1', { Name: 'Changed' }), customerRow('C2'), customerRow('C3', { 'Credit Limit': 'lots' })];
    await expect(importRows(store, customers, bad)).rejects.toThrow('Row 2, field "Credit Limit": expected a number.');
    expect((await allRows(store, 'customers', 'Code')).map((row) => [row.Code, row.Name])).toEqual([['C1', 'Customer C1']]);
  });

  test('refuses organizations and teams that do not exist', async () => {
    await expect(importRows(store, customers, [customerRow('C1', { organization: 'org-ghost' })])).rejects.toThrow(
      'Row 0, field "organization": there is no organization "org-ghost".',
    );
    await expect(importRows(store, campaigns, [{ Id: 1, Name: 'A', Status: 'Active', team: 'team-ghost' }])).rejects.toThrow(
      'Row 0, field "team": there is no team "team-ghost".',
    );
  });
});

describe('import files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sheetgate-files-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  test('CSV: header names the fields, cells are typed per the definition', async () => {
    const csv = [
      '\uFEFFCode,Name,Credit Limit,Active,Created,Sales Rep,Delivery Addresses,organization',
      'C1,"Smith, Jones & Co",2500.5,yes,2024-01-31,01 - John Smith,"[{""City"":""Paris"",""Default"":true}]",org-contoso',
      'C2,Plain,,FALSE,,,,org-fabrikam',
      '',
    ].join('\r\n');
    const rows = parseRowsFile(await file('customers.csv', csv), customers);
    expect(rows).toEqual([
      {
        Code: 'C1',
        Name: 'Smith, Jones & Co',
        'Credit Limit': 2500.5,
        Active: true,
        Created: '2024-01-31',
        'Sales Rep': '01 - John Smith',
        'Delivery Addresses': [{ City: 'Paris', Default: true }],
        organization: 'org-contoso',
      },
      { Code: 'C2', Name: 'Plain', Active: false, organization: 'org-fabrikam' },
    ]);
    expect(validateRows(customers, rows)).toHaveLength(2);
  });

  test('CSV: a bad cell names the row index and field', async () => {
    const path = await file('c.csv', 'Code,Name,Credit Limit,organization\nC1,A,10,org-contoso\nC2,B,ten,org-contoso\n');
    expect(errorOf(() => parseRowsFile(path, customers)).message).toBe('Row 1, field "Credit Limit": expected a number, not "ten".');
  });

  test.each([
    ['Code,Colour\nC1,red\n', /names "Colour", which is not an importable field/],
    ['Code,Code\nC1,C1\n', /names the field "Code" twice/],
    ['Code,Name\nC1\n', /The CSV file cannot be read/],
    ['', /empty/],
    ['Code,Active\nC1,perhaps\n', /Row 0, field "Active": expected true or false/],
    ['Code,Alerts\nC1,[oops\n', /Row 0, field "Alerts": expected JSON text/],
  ])('CSV: refuses %j', async (text, message) => {
    const path = await file('c.csv', text);
    expect(errorOf(() => parseRowsFile(path, customers)).message).toMatch(message);
  });

  test('JSON: an array of rows or {rows: [...]}', async () => {
    const rows = [customerRow('C1')];
    expect(parseRowsFile(await file('a.json', JSON.stringify(rows)), customers)).toEqual(rows);
    expect(parseRowsFile(await file('b.JSON', JSON.stringify({ rows })), customers)).toEqual(rows);
  });

  test.each([
    ['x.json', '{"rows": 3}', /array of rows/],
    ['x.json', '{oops', /not valid JSON/],
    ['x.txt', '[]', /must end in \.csv or \.json/],
  ])('refuses %s holding %j', async (name, text, message) => {
    const path = await file(name, text);
    expect(errorOf(() => parseRowsFile(path, customers)).message).toMatch(message);
  });

  test('a missing file is a clear error without its folder', () => {
    const message = errorOf(() => parseRowsFile(join(dir, 'missing.csv'), customers)).message;
    expect(message).toBe('The file "missing.csv" cannot be read.');
  });
});
