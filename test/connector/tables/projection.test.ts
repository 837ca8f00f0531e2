import { describe, expect, test } from 'vitest';
import type { DataFormat } from '../../../connector/contract';
import { splitCoded } from '../../../connector/tables/coded';
import { loadCatalog } from '../../../connector/tables/load-catalog';
import { projectionFor } from '../../../connector/tables/projection';

const catalog = loadCatalog();
const customers = catalog.get('customers')!;
const products = catalog.get('products')!;

const customer = {
  Code: 'C0001',
  Name: 'Blue Harbor Bakery',
  'Sales Rep': '01 - John Smith',
  City: 'Dublin',
  Country: 'Ireland',
  Phone: '+35 1',
  Email: 'a@b.example',
  'Payment Terms': '30 - Net 30 days',
  'Price List': 'B',
  'Credit Limit': 5000,
  Balance: 12.5,
  Created: '2020-02-03',
  Active: true,
  'Delivery Addresses': [{ 'Address Id': 'C0001-1', Street: '1 High Street', City: 'Dublin', Postcode: 'D02 1', Country: 'Ireland', Default: true }],
  Alerts: [{ Raised: '2025-01-02', Type: 'CR - Credit hold', Message: 'Over limit', Open: true }],
  organization: 'org-contoso',
};

const product = {
  Code: 'P0001',
  Description: 'Breakfast tea 250 g',
  Category: 'BEV - Beverages',
  Unit: 'each',
  Weight: 0.25,
  Launched: '2019-01-01',
  Discontinued: false,
  Prices: [
    { 'Price List': 'A', Price: 10 },
    { 'Price List': 'B', Price: 9.5 },
  ],
};

const names = (format: DataFormat) => projectionFor(customers, format).columns.map((column) => column.name);

describe('customers by format', () => {
  test('basic shows only the basic fields', () => {
    const projection = projectionFor(customers, 'basic');
    expect(projection.columns).toEqual([
      { name: 'Code', type: 'string' },
      { name: 'Name', type: 'string' },
    ]);
    expect(projection.project(customer)).toEqual({ Code: 'C0001', Name: 'Blue Harbor Bakery' });
  });

  test('standard adds every scalar field, coded fields as their display text, and no sub-resources', () => {
    const projection = projectionFor(customers, 'standard');
    const row = projection.project(customer);
    expect(row['Sales Rep']).toBe('01 - John Smith');
    expect(projection.columns.find((column) => column.name === 'Sales Rep')).toEqual({ name: 'Sales Rep', type: 'string' });
    expect(projection.columns.find((column) => column.name === 'Credit Limit')?.type).toBe('number');
    expect(projection.columns.find((column) => column.name === 'Created')?.type).toBe('date');
    expect(projection.columns.find((column) => column.name === 'Active')?.type).toBe('boolean');
    expect(row).not.toHaveProperty('Delivery Addresses');
    expect(row).not.toHaveProperty('Alerts');
    expect(Object.keys(row)).toEqual(projection.columns.map((column) => column.name));
  });

  test('detail adds sub-resources as tables with their own columns', () => {
    const projection = projectionFor(customers, 'detail');
    expect(projection.columns.find((column) => column.name === 'Alerts')).toEqual({
      name: 'Alerts',
      type: 'table',
      columns: [
        { name: 'Raised', type: 'date' },
        { name: 'Type', type: 'string' },
        { name: 'Message', type: 'string' },
        { name: 'Open', type: 'boolean' },
      ],
    });
    const row = projection.project(customer);
    expect(row['Delivery Addresses']).toEqual(customer['Delivery Addresses']);
    expect(row.Alerts).toEqual(customer.Alerts);
    expect(row['Sales Rep']).toBe('01 - John Smith');
  });

  test('expanded breaks every coded field out, in sub-resources too', () => {
    const projection = projectionFor(customers, 'expanded');
    const row = projection.project(customer);
    expect(row['Sales Rep']).toEqual({ Code: '01', DisplayAs: '01 - John Smith' });
    expect(row['Payment Terms']).toEqual({ Code: '30', DisplayAs: '30 - Net 30 days' });
    expect(projection.columns.find((column) => column.name === 'Sales Rep')?.type).toBe('coded');
    expect((row.Alerts as Array<Record<string, unknown>>)[0].Type).toEqual({ Code: 'CR', DisplayAs: 'CR - Credit hold' });
    expect(projection.columns.find((column) => column.name === 'Alerts')?.columns?.find((c) => c.name === 'Type')?.type).toBe('coded');
  });

  test('each format is a superset of the one below it', () => {
    const formats: DataFormat[] = ['basic', 'standard', 'detail', 'expanded'];
    for (let i = 1; i < formats.length; i++) {
      expect(names(formats[i])).toEqual(expect.arrayContaining(names(formats[i - 1])));
    }
    expect(names('expanded')).toEqual(names('detail'));
  });

  test('the scope field is never a column nor in a row', () => {
    for (const format of ['basic', 'standard', 'detail', 'expanded'] as const) {
      expect(names(format)).not.toContain('organization');
      expect(projectionFor(customers, format).project(customer)).not.toHaveProperty('organization');
    }
  });

  test('missing values are null, missing sub-resources empty', () => {
    const row = projectionFor(customers, 'expanded').project({ Code: 'C0002', organization: 'org-contoso' });
    expect(row.Name).toBeNull();
    expect(row['Sales Rep']).toBeNull();
    expect(row.Alerts).toEqual([]);
  });

  test('columns are computed once per table and format', () => {
    expect(projectionFor(customers, 'detail').columns).toBe(projectionFor(customers, 'detail').columns);
  });
});

describe('price fields of products', () => {
  test('are absent from columns and rows without a price list lookup', () => {
    for (const format of ['basic', 'standard', 'detail', 'expanded'] as const) {
      const projection = projectionFor(products, format);
      const row = projection.project(product);
      for (const name of ['Price', 'Price List', 'Prices']) {
        expect(projection.columns.map((column) => column.name)).not.toContain(name);
        expect(row).not.toHaveProperty(name);
      }
    }
  });

  test("show the viewer's price list and its price", () => {
    const projection = projectionFor(products, 'standard', new Map([['priceList', 'B']]));
    expect(projection.columns.slice(-2)).toEqual([
      { name: 'Price List', type: 'string' },
      { name: 'Price', type: 'number' },
    ]);
    expect(projection.project(product)).toMatchObject({ 'Price List': 'B', Price: 9.5 });
  });

  test('a price list the product lacks, or an unknown price customer, gives a null price', () => {
    expect(projectionFor(products, 'standard', new Map([['priceList', 'Z']])).project(product).Price).toBeNull();
    expect(projectionFor(products, 'standard', new Map([['priceList', null]])).project(product).Price).toBeNull();
  });

  test('the stored price lists stay hidden at every format', () => {
    const row = projectionFor(products, 'expanded', new Map([['priceList', 'A']])).project(product);
    expect(row).not.toHaveProperty('Prices');
    expect(row.Price).toBe(10);
  });

  test('are not shown at basic', () => {
    expect(projectionFor(products, 'basic', new Map([['priceList', 'A']])).project(product)).toEqual({
      Code: 'P0001',
      Description: 'Breakfast tea 250 g',
    });
  });
});

describe('coded values', () => {
  test('split at the first " - "', () => {
    expect(splitCoded('01 - John Smith')).toEqual({ Code: '01', DisplayAs: '01 - John Smith' });
    expect(splitCoded('P0001 - Tea - green')).toEqual({ Code: 'P0001', DisplayAs: 'P0001 - Tea - green' });
    expect(splitCoded('ABC')).toEqual({ Code: 'ABC', DisplayAs: 'ABC' });
  });
});
