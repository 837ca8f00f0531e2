import { describe, expect, it } from 'vitest';
import type { TableSummary } from '../../connector/contract';
import { groupBySection } from '../../addin/src/ui/sections';

const table = (id: string, title: string, section: string): TableSummary => ({
  id,
  title,
  section,
  maxFormat: 'basic',
  formats: ['basic'],
});

describe('groupBySection (the Table select’s optgroups)', () => {
  it('one group per section, sections and titles alphabetical, nested sections readable', () => {
    const groups = groupBySection([
      table('stock-levels', 'Stock levels', 'Products/Inventory'),
      table('customers', 'Customers', 'Customers'),
      table('products', 'Products', 'Products/Inventory'),
      table('campaigns', 'Campaigns', 'Marketing'),
    ]);
    expect(groups.map((g) => [g.label, g.tables.map((t) => t.title)])).toEqual([
      ['Customers', ['Customers']],
      ['Marketing', ['Campaigns']],
      ['Products › Inventory', ['Products', 'Stock levels']],
    ]);
  });

  it('a table without a section is listed under Other, not lost', () => {
    expect(groupBySection([table('x', 'X', ''), table('y', 'Y', ' / ')]).map((g) => [g.label, g.tables.length])).toEqual([['Other', 2]]);
  });
});
