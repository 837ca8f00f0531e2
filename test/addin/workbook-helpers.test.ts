import { describe, expect, it } from 'vitest';
import { BlockQueue, cellBytes, isPayloadTooLarge, jsonBytes, rowBytes, type ChunkLimits } from '../../addin/src/workbook/chunks';
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
  const perRow = jsonBytes(rows[0]) + 1;

  /** Sizes of the blocks a queue writes for `rows`, flushing after every `page` rows like pages arriving. */
  async function cut(limits: ChunkLimits, page = rows.length, fail = (_n: number) => false): Promise<number[]> {
    const sizes: number[] = [];
    const queue = new BlockQueue<string[]>(limits, async (slice) => {
      sizes.push(slice.length);
      if (fail(slice.length)) throw Object.assign(new Error('too big'), { code: 'RequestPayloadSizeLimitExceeded' });
    });
    for (let i = 0; i < rows.length; i++) {
      queue.push(rows[i]!, rowBytes(rows[i]!));
      if ((i + 1) % page === 0) await queue.flush(false);
    }
    await queue.flush(true);
    return sizes;
  }

  it('measures rows exactly as JSON UTF-8, without stringifying plain cells', () => {
    const tricky = ["'plain", 'quote " and \\ slash', 'é ü 漢字 😀', 'tab\tnew\nline\u0001', '', 0, -12.5, 1e21, 45123.4375, NaN, true, false, null];
    for (const cell of tricky) expect(cellBytes(cell)).toBe(jsonBytes(cell));
    expect(rowBytes(tricky)).toBe(jsonBytes(tricky) + 1);
    expect(rowBytes([])).toBe(jsonBytes([]) + 1);
  });

  it('cuts the first block at firstRows, later ones by bytes only', async () => {
    expect(await cut({ firstRows: 5, maxRows: Infinity, maxBytes: Infinity })).toEqual([5, 7]);
    expect(await cut({ firstRows: 3, maxRows: Infinity, maxBytes: perRow * 4 })).toEqual([3, 4, 4, 1]);
    // A single row larger than the budget still goes, on its own.
    expect(await cut({ firstRows: 100, maxRows: Infinity, maxBytes: 1 })).toEqual(Array(12).fill(1));
  });

  it('holds rows until a block is full, so blocks span the pages they arrive in', async () => {
    expect(await cut({ firstRows: 2, maxRows: Infinity, maxBytes: perRow * 5 }, 3)).toEqual([2, 5, 5]);
  });

  it('counts what travels with each row (number formats) against the budget', async () => {
    const sizes: number[] = [];
    const queue = new BlockQueue<string[]>({ firstRows: 100, maxRows: Infinity, maxBytes: perRow * 4 }, async (s) => void sizes.push(s.length), () => perRow);
    for (const row of rows) queue.push(row, rowBytes(row));
    await queue.flush(true);
    expect(sizes).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('recognises the payload errors of office.js', () => {
    expect(isPayloadTooLarge({ code: 'RequestPayloadSizeLimitExceeded' })).toBe(true);
    expect(isPayloadTooLarge({ code: 'GeneralException', message: 'The request payload size has exceeded the limit.' })).toBe(true);
    expect(isPayloadTooLarge({ code: 'InvalidArgument', message: 'bad' })).toBe(false);
  });

  it('retries a rejected block in halves, and keeps later blocks small', async () => {
    const limits = { firstRows: 8, maxRows: Infinity, maxBytes: Infinity };
    expect(await cut(limits, rows.length, (n) => n > 3)).toEqual([8, 4, 2, 2, 2, 2, 2, 2]);
    expect(limits.maxRows).toBe(2);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const queue = new BlockQueue<string[]>({ firstRows: 8, maxRows: Infinity, maxBytes: Infinity }, async () => {
      calls++;
      throw new Error('InvalidArgument');
    });
    for (const row of rows) queue.push(row, rowBytes(row));
    await expect(queue.flush(true)).rejects.toThrow('InvalidArgument');
    expect(calls).toBe(1);
  });
});
