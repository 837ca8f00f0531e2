import { describe, expect, it } from 'vitest';
import type { Column } from '../../connector/contract';
import { FormatTracker, layoutOf, shapeRows } from '../../addin/src/shape';
import { customerColumns, customerRows } from './connector-fixture';

describe('layoutOf / shapeRows', () => {
  it('basic and standard: one column per field, rows in order; a coded field keeps its display form', () => {
    const layout = layoutOf(customerColumns('standard'), 'standard');
    expect(layout.columns).toEqual([
      { name: 'Code', kind: 'text' },
      { name: 'Name', kind: 'text' },
      { name: 'Sales Rep', kind: 'text' },
      { name: 'Credit Limit', kind: 'number' },
      { name: 'Since', kind: 'date' },
    ]);
    expect(layout.children).toEqual([]);
    const { rows } = shapeRows(layout, customerRows('standard').slice(0, 2));
    expect(rows).toEqual([
      ['C001', 'Acme', '01 - John Smith', 1000, '2020-01-15'],
      ['C002', 'Bolt', '02 - Jane Doe', 2500.5, '2021-06-01'],
    ]);
  });

  it('detail: a sub-resource becomes a child grid led by the parent key, one row per sub-row', () => {
    const layout = layoutOf(customerColumns('detail'), 'detail');
    expect(layout.columns.map((c) => c.name)).not.toContain('Delivery Addresses');
    expect(layout.children.map((c) => [c.source, c.columns.map((col) => col.name)])).toEqual([
      ['Delivery Addresses', ['Code', 'Line', 'City']],
    ]);
    const shaped = shapeRows(layout, customerRows('detail'));
    expect(shaped.rows).toHaveLength(5);
    expect(shaped.children[0]).toEqual([
      ['C001', 'Main St 1', 'Oslo'],
      ['C001', 'Dock 4', 'Bergen'],
      ['C003', 'Hill 9', 'Trondheim'],
      ['C005', 'Quay 2', 'Oslo'],
    ]);
  });

  it('expanded: a coded field becomes two columns, code then label, in parents and children', () => {
    const columns: Column[] = [
      { name: 'Code', type: 'string' },
      { name: 'Sales Rep', type: 'coded' },
      { name: 'Alerts', type: 'table', columns: [{ name: 'Level', type: 'coded' }] },
    ];
    const layout = layoutOf(columns, 'expanded');
    expect(layout.columns.map((c) => c.name)).toEqual(['Code', 'Sales Rep Code', 'Sales Rep']);
    expect(layout.children[0]!.columns.map((c) => c.name)).toEqual(['Code', 'Level Code', 'Level']);
    const shaped = shapeRows(layout, [
      {
        Code: 'C1',
        'Sales Rep': { Code: '01', DisplayAs: '01 - John Smith' },
        Alerts: [{ Level: { Code: 'H', DisplayAs: 'H - High' } }],
      },
      { Code: 'C2', 'Sales Rep': null, Alerts: [] },
    ]);
    expect(shaped.rows).toEqual([
      ['C1', '01', '01 - John Smith'],
      ['C2', null, null],
    ]);
    expect(shaped.children[0]).toEqual([['C1', 'H', 'H - High']]);
  });

  it('a child column named like the parent key does not collide with the link column', () => {
    const layout = layoutOf(
      [
        { name: 'Code', type: 'string' },
        { name: 'Addresses', type: 'table', columns: [{ name: 'Code', type: 'string' }] },
      ],
      'detail',
    );
    expect(layout.children[0]!.columns.map((c) => c.name)).toEqual(['Parent Code', 'Code']);
    expect(shapeRows(layout, [{ Code: 'C1', Addresses: [{ Code: 'A1' }] }]).children[0]).toEqual([['C1', 'A1']]);
  });

  it('header names are unique regardless of case, as Excel tables require', () => {
    const layout = layoutOf(
      [
        { name: 'Name', type: 'string' },
        { name: 'name', type: 'string' },
        { name: 'Status', type: 'coded' },
        { name: 'Status Code', type: 'string' },
      ],
      'expanded',
    );
    expect(layout.columns.map((c) => c.name)).toEqual(['Name', 'name 2', 'Status Code', 'Status', 'Status Code 2']);
  });

  it('missing fields are empty cells; odd values stay readable as text', () => {
    const layout = layoutOf(
      [
        { name: 'Id', type: 'number' },
        { name: 'Note', type: 'string' },
        { name: 'Flag', type: 'boolean' },
      ],
      'standard',
    );
    expect(shapeRows(layout, [{ Id: 1 }, { Id: 2, Note: 42 as never, Flag: false }]).rows).toEqual([
      [1, null, null],
      [2, '42', false],
    ]);
  });
});

describe('layoutOf with chosen columns', () => {
  const names = (columns: { name: string }[]) => columns.map((c) => c.name);

  it('keeps only the chosen columns, in the connector order', () => {
    const layout = layoutOf(customerColumns('standard'), 'standard', ['Since', 'Code', 'Credit Limit']);
    expect(names(layout.columns)).toEqual(['Code', 'Credit Limit', 'Since']);
    expect(shapeRows(layout, customerRows('standard').slice(0, 1)).rows).toEqual([['C001', 1000, '2020-01-15']]);
  });

  it('a chosen coded field still becomes code and label at expanded', () => {
    const layout = layoutOf(customerColumns('expanded'), 'expanded', ['Name', 'Sales Rep']);
    expect(names(layout.columns)).toEqual(['Name', 'Sales Rep Code', 'Sales Rep']);
    expect(shapeRows(layout, customerRows('expanded').slice(0, 1)).rows).toEqual([['Acme', '01', '01 - John Smith']]);
  });

  it('a sub-resource left out means no child table', () => {
    const layout = layoutOf(customerColumns('detail'), 'detail', ['Code', 'Name']);
    expect(layout.children).toEqual([]);
    expect(shapeRows(layout, customerRows('detail')).children).toEqual([]);
  });

  it('a child stays linked by the real key even when the key column was left out of the parent', () => {
    const layout = layoutOf(customerColumns('detail'), 'detail', ['Name', 'Delivery Addresses']);
    expect(names(layout.columns)).toEqual(['Name']);
    expect(names(layout.children[0]!.columns)).toEqual(['Code', 'Line', 'City']);
    const shaped = shapeRows(layout, customerRows('detail').slice(0, 1));
    expect(shaped.rows).toEqual([['Acme']]);
    expect(shaped.children[0]).toEqual([
      ['C001', 'Main St 1', 'Oslo'],
      ['C001', 'Dock 4', 'Bergen'],
    ]);
  });

  it('only a sub-resource chosen: the parent table shows just its key, so it is still a table', () => {
    const layout = layoutOf(customerColumns('detail'), 'detail', ['Delivery Addresses']);
    expect(names(layout.columns)).toEqual(['Code']);
    expect(layout.children.map((c) => c.source)).toEqual(['Delivery Addresses']);
  });

  it('nothing of the choice left: no columns at all (the pull turns this into a plain message)', () => {
    const layout = layoutOf(customerColumns('basic'), 'basic', ['Sales Rep']);
    expect(layout.columns).toEqual([]);
    expect(layout.children).toEqual([]);
  });
});

describe('FormatTracker', () => {
  it('whole numbers get separators, fractions two decimals, dates a time only when one has it', () => {
    const tracker = new FormatTracker([
      { name: 'Count', kind: 'number' },
      { name: 'Price', kind: 'number' },
      { name: 'Day', kind: 'date' },
      { name: 'At', kind: 'date' },
      { name: 'Name', kind: 'text' },
      { name: 'Ok', kind: 'boolean' },
    ]);
    tracker.observe([[1, 2, '2024-01-01', '2024-01-01T00:00:00Z', 'a', true]]);
    tracker.observe([[3, 2.5, null, '2024-01-01T08:15:00Z', 'b', false]]);
    expect(tracker.formats()).toEqual(['#,##0', '#,##0.00', 'yyyy-mm-dd', 'yyyy-mm-dd hh:mm:ss', null, null]);
  });
});
