import { describe, expect, it } from 'vitest';
import type { Binding } from '../../addin/src/bindings';
import { columnNotes, count, describeBinding, goneNote } from '../../addin/src/summaries';

const binding: Binding = {
  tableId: 't1',
  table: 'products',
  title: 'Products',
  format: 'standard',
  lastRefreshed: '2024-05-01T10:00:00.000Z',
  children: [],
  columns: ['Code', 'Description', 'Price'],
};

describe('what the pane says about chosen columns', () => {
  it('a bound table with chosen columns says how many', () => {
    expect(describeBinding(binding)).toMatch(/^products · standard · 3 columns chosen · refreshed /);
    const { columns: _all, ...everything } = binding;
    expect(describeBinding(everything)).not.toContain('chosen');
  });

  it('names every gone column, in one sentence per table, singular or plural', () => {
    expect(
      columnNotes([
        { binding, missingColumns: [] },
        { binding, missingColumns: ['Price'] },
        { binding: { ...binding, title: 'Stock' }, missingColumns: ['On Hand', 'Price', 'Cost'] },
      ]),
    ).toEqual([
      'Products: the column "Price" is no longer available to you, so it was left out and the other columns were refreshed. Ask your administrator if you still need it.',
      'Stock: the columns "On Hand", "Price" and "Cost" are no longer available to you, so they were left out and the other columns were refreshed. Ask your administrator if you still need them.',
    ]);
  });

  it('beside the table: what was left out, or nothing', () => {
    expect(goneNote(['Price', 'Cost'])).toBe('Left out, no longer available to you: "Price" and "Cost"');
    expect(goneNote([])).toBeUndefined();
    expect(goneNote(undefined)).toBeUndefined();
  });

  it('counts in words', () => {
    expect([count(1, 'table'), count(2, 'linked table')]).toEqual(['1 table', '2 linked tables']);
  });
});
