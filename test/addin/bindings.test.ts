import { describe, expect, it } from 'vitest';
import { excelBindingStore, parseBindings, SETTINGS_KEY, upsertBinding, type Binding } from '../../addin/src/bindings';
import { FakeExcel } from './fake-excel';

const binding: Binding = {
  tableId: 'table-7',
  table: 'customers',
  title: 'Customers',
  format: 'detail',
  lastRefreshed: '2024-05-01T10:00:00.000Z',
  children: [{ source: 'Delivery Addresses', tableId: 'table-8' }],
  columns: ['Code', 'Name', 'Delivery Addresses'],
};

describe('bindings remember the chosen columns', () => {
  it('saved in the workbook settings per Excel table id, and read back after the file is reopened', async () => {
    const excel = new FakeExcel();
    await upsertBinding(excelBindingStore(excel.run), binding);
    expect(JSON.parse(excel.settings.get(SETTINGS_KEY) as string)).toEqual([binding]);
    // Reopened: a fresh store over the same workbook.
    expect(await excelBindingStore(excel.run).load()).toEqual([binding]);
  });

  it('a binding without a choice means every column, and stays without one', () => {
    const { columns: _all, ...everything } = binding;
    expect(parseBindings(JSON.stringify([everything]))).toEqual([everything]);
    expect(parseBindings(JSON.stringify([everything]))[0]).not.toHaveProperty('columns');
  });

  it('a malformed or empty choice falls back to every column instead of dropping the table', () => {
    for (const columns of [[], 'Code', [1, 2], ['Code', null]]) {
      const [parsed] = parseBindings(JSON.stringify([{ ...binding, columns }]));
      expect(parsed, JSON.stringify(columns)).toBeDefined();
      expect(parsed).not.toHaveProperty('columns');
    }
  });

  it('nothing but the known fields is written: no stray property rides along into the file', async () => {
    const excel = new FakeExcel();
    const sneaky = { ...binding, token: 'sgt_x', key: 'sgk_y' } as Binding;
    await upsertBinding(excelBindingStore(excel.run), sneaky);
    expect(excel.everythingStored()).not.toMatch(/sgt_|sgk_/);
  });
});
