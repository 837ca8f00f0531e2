import { describe, expect, it } from 'vitest';
import { choiceOf, keptColumns, missingColumns } from '../../addin/src/column-choice';
import { customerColumns } from './connector-fixture';

const detail = customerColumns('detail'); // Code, Name, Sales Rep, Credit Limit, Since, Delivery Addresses
const names = (columns: { name: string }[]) => columns.map((c) => c.name);

describe('column choice', () => {
  it('null keeps every column, and nothing is missing', () => {
    expect(keptColumns(detail, null)).toBe(detail);
    expect(missingColumns(detail, null)).toEqual([]);
  });

  it('a subset keeps the connector order (key first), whatever order it was ticked in', () => {
    expect(names(keptColumns(detail, ['Since', 'Delivery Addresses', 'Code']))).toEqual(['Code', 'Since', 'Delivery Addresses']);
  });

  it('names the chosen columns the connector no longer sends', () => {
    const lowered = customerColumns('basic');
    expect(names(keptColumns(lowered, ['Code', 'Sales Rep', 'Since']))).toEqual(['Code']);
    expect(missingColumns(lowered, ['Code', 'Sales Rep', 'Since'])).toEqual(['Sales Rep', 'Since']);
  });

  it('every box ticked is "all" (null), so columns added later are not shut out; none ticked is []', () => {
    expect(choiceOf(detail, names(detail).reverse())).toBeNull();
    expect(choiceOf(detail, ['Name', 'Code'])).toEqual(['Code', 'Name']);
    expect(choiceOf(detail, [])).toEqual([]);
    // Nothing known yet (the columns are still loading): insert everything.
    expect(choiceOf([], [])).toBeNull();
    // A stale tick for a column not offered is ignored.
    expect(choiceOf(detail, ['Code', 'Gone'])).toEqual(['Code']);
  });
});
