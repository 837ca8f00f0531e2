import { describe, expect, test } from 'vitest';
import type { Column } from '../../../connector/contract';
import type { TableDefinition } from '../../../connector/tables/definition';
import { parseSelection, rowMatcher, selectionKey } from '../../../connector/tables/selection';

const definition: TableDefinition = {
  id: 'things',
  title: 'Things',
  section: 'Things',
  key: 'Id',
  scope: { by: 'none' },
  fields: [
    { name: 'Id', type: 'number', format: 'basic' },
    { name: 'Rep', type: 'coded', format: 'basic' },
    { name: 'Open', type: 'boolean', format: 'basic' },
    { name: 'Due', type: 'date', format: 'basic' },
    { name: 'Lines', type: 'table', format: 'basic', fields: [{ name: 'Sku', type: 'string', format: 'basic' }] },
  ],
};
const columns: Column[] = [
  { name: 'Id', type: 'number' },
  { name: 'Rep', type: 'string' },
  { name: 'Open', type: 'boolean' },
  { name: 'Due', type: 'date' },
  { name: 'Lines', type: 'table', columns: [{ name: 'Sku', type: 'string' }] },
];

describe('selection', () => {
  test('conditions are plain data, typed and in field order, whatever the query order', () => {
    const selection = parseSelection(definition, columns, { fields: 'Due,Rep', filters: { Open: ['true'], Id: ['7'], Due: ['2024-05-31'] } });
    expect(selection).toEqual({
      fields: ['Id', 'Rep', 'Due'],
      conditions: [
        { field: 'Due', type: 'date', equals: '2024-05-31' },
        { field: 'Id', type: 'number', equals: 7 },
        { field: 'Open', type: 'boolean', equals: true },
      ],
    });
    // Nothing but data: what a SQL store would translate survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(selection))).toEqual(selection);
    const reordered = parseSelection(definition, columns, { fields: 'Rep,Due', filters: { Id: ['7'], Due: ['2024-05-31'], Open: ['true'] } });
    expect(selectionKey('basic', reordered)).toBe(selectionKey('basic', selection));
    expect(selectionKey('standard', reordered)).not.toBe(selectionKey('basic', selection));
  });

  test('the in-memory reading of the conditions', () => {
    const { conditions } = parseSelection(definition, columns, { filters: { Rep: ['01'], Due: ['2024-05-31'] } });
    const matches = rowMatcher(definition, conditions, new Map())!;
    expect(matches({ Id: 1, Rep: '01 - Ann', Due: '2024-05-31' })).toBe(true);
    expect(matches({ Id: 2, Rep: '01 - Ann', Due: '2024-05-31T23:00:00Z' })).toBe(true);
    expect(matches({ Id: 3, Rep: '011 - Bob', Due: '2024-05-31' })).toBe(false);
    expect(matches({ Id: 4, Rep: '01 - Ann', Due: null })).toBe(false);
    const byDisplay = rowMatcher(definition, parseSelection(definition, columns, { filters: { Rep: ['01 - Ann'] } }).conditions, new Map())!;
    expect(byDisplay({ Id: 1, Rep: '01 - Ann' })).toBe(true);
    expect(rowMatcher(definition, [], new Map())).toBeNull();
  });
});
