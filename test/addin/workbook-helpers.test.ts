import { describe, expect, it } from 'vitest';
import { blocks, isPayloadTooLarge, jsonBytes, writeInBlocks } from '../../addin/src/workbook/chunks';
import { excelDateSerial, toExcelValue } from '../../addin/src/workbook/excel-values';
import { sheetNameFor, tableNameFor } from '../../addin/src/workbook/names';

describe('tableNameFor', () => {
  it.each([
    ['Customers', [], 'Customers'],
    ['Stock levels', [], 'Stock_levels'],
    ['Products/Inventory: prices!', [], 'Products_Inventory_prices'],
    ['2024 sales', [], '_2024_sales'],
    ['A1', [], 'A1_'],
    ['R1C1', [], 'R1C1_'],
    ['C', [], 'C_'],
    ['Kunden Übersicht', [], 'Kunden_Übersicht'],
    ['***', [], 'Table'],
    ['Customers', ['customers', 'Customers_2'], 'Customers_3'],
  ])('%s (taken: %j) → %s', (title, taken, expected) => {
    expect(tableNameFor(title, taken)).toBe(expected);
  });

  it('stays within 255 characters, suffix included', () => {
    const name = tableNameFor('x'.repeat(300), ['x'.repeat(255)]);
    expect(name).toHaveLength(255);
    expect(name.endsWith('_2')).toBe(true);
  });
});

describe('sheetNameFor', () => {
  it.each([
    ['Customers', [], 'Customers'],
    ['Products/Inventory [EU]: *', [], 'Products Inventory EU'],
    ["'Quoted'", [], 'Quoted'],
    ['History', [], 'History table'],
    ['A very long table title that does not fit', [], 'A very long table title that do'],
    ['Customers', ['CUSTOMERS'], 'Customers (2)'],
  ])('%s (taken: %j) → %s', (title, taken, expected) => {
    const name = sheetNameFor(title, taken);
    expect(name).toBe(expected);
    expect(name.length).toBeLessThanOrEqual(31);
  });
});

describe('excel values', () => {
  it('dates become serial dates; text keeps its apostrophe guard', () => {
    expect(excelDateSerial('1970-01-01')).toBe(25569);
    expect(excelDateSerial('2024-03-01T12:00:00Z')).toBe(45352.5);
    expect(excelDateSerial('soon')).toBeNull();
    expect(toExcelValue('2024-03-01', 'date')).toBe(45352);
    expect(toExcelValue('not a date', 'date')).toBe("'not a date");
    expect(toExcelValue('007', 'text')).toBe("'007");
    expect(toExcelValue('', 'text')).toBe('');
    expect(toExcelValue(null, 'number')).toBe('');
    expect(toExcelValue(3.5, 'number')).toBe(3.5);
  });
});

describe('chunks', () => {
  const rows = Array.from({ length: 12 }, (_, i) => [`row-${String(i).padStart(2, '0')}`]);

  it('cuts by rows and by bytes, whichever comes first', () => {
    expect(blocks(rows, { maxRows: 5, maxBytes: Infinity })).toEqual([[0, 5], [5, 10], [10, 12]]);
    const perRow = jsonBytes(rows[0]) + 1;
    expect(blocks(rows, { maxRows: 100, maxBytes: perRow * 4 })).toEqual([[0, 4], [4, 8], [8, 12]]);
    // A single row larger than the budget still goes, on its own.
    expect(blocks(rows.slice(0, 2), { maxRows: 100, maxBytes: 1 })).toEqual([[0, 1], [1, 2]]);
  });

  it('recognises the payload errors of office.js', () => {
    expect(isPayloadTooLarge({ code: 'RequestPayloadSizeLimitExceeded' })).toBe(true);
    expect(isPayloadTooLarge({ code: 'GeneralException', message: 'The request payload size has exceeded the limit.' })).toBe(true);
    expect(isPayloadTooLarge({ code: 'InvalidArgument', message: 'bad' })).toBe(false);
  });

  it('retries a rejected block in halves, and keeps later blocks small', async () => {
    const sizes: number[] = [];
    const limits = { maxRows: 8, maxBytes: Infinity };
    await writeInBlocks(rows, limits, async (_offset, slice) => {
      sizes.push(slice.length);
      if (slice.length > 3) throw Object.assign(new Error('too big'), { code: 'RequestPayloadSizeLimitExceeded' });
    });
    expect(sizes).toEqual([8, 4, 2, 2, 2, 2, 2, 2]);
    expect(limits.maxRows).toBe(2);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const failing = writeInBlocks(rows, { maxRows: 8, maxBytes: Infinity }, async () => {
      calls++;
      throw new Error('InvalidArgument');
    });
    await expect(failing).rejects.toThrow('InvalidArgument');
    expect(calls).toBe(1);
  });
});
