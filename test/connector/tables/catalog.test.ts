import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ApiError } from '../../../connector/errors';
import { catalogOf } from '../../../connector/tables/catalog';
import { builtInDefinitionsDir, loadCatalog, readDefinitions } from '../../../connector/tables/load-catalog';
import { validateDefinition } from '../../../connector/tables/validate-definition';

const minimal = (overrides: Record<string, unknown> = {}) => ({
  id: 'things',
  title: 'Things',
  section: 'Misc',
  key: 'Id',
  scope: { by: 'none' },
  fields: [
    { name: 'Id', type: 'string', format: 'basic' },
    { name: 'Label', type: 'coded', format: 'standard' },
  ],
  ...overrides,
});

function expectDefinitionError(raw: unknown, fragment: string | RegExp) {
  let thrown: unknown;
  try {
    validateDefinition(raw, 'things.json');
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ApiError);
  expect((thrown as ApiError).message).toMatch(/^Table definition things\.json: /);
  expect((thrown as ApiError).message).toMatch(fragment);
}

describe('the built-in catalog', () => {
  test('holds the four contract tables with their keys and scopes', () => {
    const catalog = loadCatalog();
    const summary = Object.fromEntries(catalog.list().map((table) => [table.id, [table.key, table.scope.by, table.scope.field]]));
    expect(summary).toEqual({
      customers: ['Code', 'organization', 'organization'],
      products: ['Code', 'none', undefined],
      'stock-levels': ['Id', 'warehouse', 'Warehouse'],
      campaigns: ['Id', 'team', 'team'],
    });
  });

  test('declares the fields the contract requires at their formats', () => {
    const catalog = loadCatalog();
    const formatOf = (table: string, field: string) => catalog.get(table)!.fields.find((f) => f.name === field)?.format;
    expect([formatOf('customers', 'Code'), formatOf('customers', 'Name')]).toEqual(['basic', 'basic']);
    expect(catalog.get('customers')!.fields.find((f) => f.name === 'Sales Rep')).toMatchObject({ type: 'coded', format: 'standard' });
    for (const name of ['Delivery Addresses', 'Alerts']) {
      expect(catalog.get('customers')!.fields.find((f) => f.name === name)).toMatchObject({ type: 'table', format: 'detail' });
    }
    expect([formatOf('products', 'Code'), formatOf('products', 'Description')]).toEqual(['basic', 'basic']);
    for (const name of ['Product', 'Warehouse', 'On Hand']) expect(formatOf('stock-levels', name)).toBeDefined();
    for (const name of ['Id', 'Name', 'Status']) expect(formatOf('campaigns', name)).toBeDefined();
    // The organization and team scope fields are stored, not columns.
    expect(formatOf('customers', 'organization')).toBeUndefined();
    expect(formatOf('campaigns', 'team')).toBeUndefined();
  });

  test('sub-resource fields inherit their sub-resource format once loaded', () => {
    const addresses = loadCatalog().get('customers')!.fields.find((f) => f.name === 'Delivery Addresses')!;
    expect(addresses.fields!.every((field) => field.format === 'detail')).toBe(true);
  });

  test('is found from the package root', () => {
    expect(builtInDefinitionsDir()).toMatch(/connector[\\/]tables[\\/]definitions$/);
  });
});

describe('operator definitions', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const withFiles = (files: Record<string, unknown>) => {
    dir = mkdtempSync(join(tmpdir(), 'sheetgate-defs-'));
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
  };

  test('are added to the built-in tables', () => {
    const catalog = loadCatalog(withFiles({ 'things.json': minimal(), 'notes.txt': 'ignored' }));
    expect(catalog.get('things')?.title).toBe('Things');
    expect(catalog.list()).toHaveLength(5);
  });

  test('may not reuse a built-in id', () => {
    expect(() => loadCatalog(withFiles({ 'customers.json': minimal({ id: 'customers' }) }))).toThrow(/"customers".*defined twice/);
  });

  test('must be named after their id', () => {
    expect(() => readDefinitions(withFiles({ 'other.json': minimal() }))).toThrow(/must be named "things\.json"/);
  });

  test('must be JSON', () => {
    expect(() => readDefinitions(withFiles({ 'things.json': '{ not json' }))).toThrow(/things\.json: not valid JSON/);
  });

  test('a missing extra folder is refused', () => {
    expect(() => loadCatalog(join(tmpdir(), 'no-such-sheetgate-folder'))).toThrow(/does not exist/);
  });
});

describe('validation of one definition', () => {
  test('accepts a minimal definition', () => {
    expect(validateDefinition(minimal(), 'things.json').id).toBe('things');
  });

  test.each([
    ['an id with capitals', minimal({ id: 'Things' }), /id "Things"/],
    ['an id too long', minimal({ id: 'a'.repeat(64) }), /id "a+"/],
    ['a key that is not a field', minimal({ key: 'Nope' }), /key "Nope" is not one of its fields/],
    ['an unknown type', minimal({ fields: [{ name: 'Id', type: 'text', format: 'basic' }] }), /fields\.0\.type/],
    ['an unknown format', minimal({ fields: [{ name: 'Id', type: 'string', format: 'full' }] }), /fields\.0\.format/],
    ['a field without format', minimal({ fields: [{ name: 'Id', type: 'string', format: 'basic' }, { name: 'X', type: 'string' }] }), /field "X" needs a "format"/],
    ['a key above basic', minimal({ fields: [{ name: 'Id', type: 'string', format: 'standard' }] }), /key field "Id"/],
    ['a boolean key', minimal({ fields: [{ name: 'Id', type: 'boolean', format: 'basic' }] }), /key field "Id"/],
    ['a sub-resource without fields', minimal({ fields: [{ name: 'Id', type: 'string', format: 'basic' }, { name: 'T', type: 'table', format: 'detail' }] }), /needs its own "fields"/],
    ['fields on a scalar', minimal({ fields: [{ name: 'Id', type: 'string', format: 'basic', fields: [] }] }), /not of type "table"/],
    ['a duplicate field name', minimal({ fields: [{ name: 'Id', type: 'string', format: 'basic' }, { name: 'id', type: 'string', format: 'basic' }] }), /twice/],
    ['a scope without its field', minimal({ scope: { by: 'team' } }), /scope by team needs the row "field"/],
    ['an unknown scope', minimal({ scope: { by: 'region', field: 'r' } }), /scope\.by/],
    ['an unknown property', minimal({ colour: 'red' }), /colour/],
    ['a derived field with an undeclared lookup', minimal({ fields: [{ name: 'Id', type: 'string', format: 'basic' }, { name: 'P', type: 'number', format: 'standard', from: { lookup: 'x' } }] }), /undeclared lookup "x"/],
    ['a sub-field below its sub-resource', minimal({ fields: [{ name: 'Id', type: 'string', format: 'basic' }, { name: 'T', type: 'table', format: 'detail', fields: [{ name: 'A', type: 'string', format: 'basic' }] }] }), /lower format/],
  ])('refuses %s', (_label, raw, fragment) => expectDefinitionError(raw, fragment));

  test('checks lookups against the other tables', () => {
    const owner = validateDefinition(minimal(), 'things.json');
    const user = validateDefinition(
      minimal({
        id: 'users-of-things',
        lookups: { label: { setting: 'priceCustomer', table: 'things', field: 'Nope' } },
        fields: [
          { name: 'Id', type: 'string', format: 'basic' },
          { name: 'Label', type: 'string', format: 'standard', from: { lookup: 'label' } },
        ],
      }),
      'users-of-things.json',
    );
    expect(() => catalogOf([owner, user])).toThrow(/table "things" has no field "Nope"/);
    expect(() => catalogOf([user])).toThrow(/unknown table "things"/);
  });
});
