import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockQueue, cellBytes, isPayloadTooLarge, jsonBytes, type ChunkLimits } from '../../addin/src/workbook/chunks';
import { excelDateSerial, toExcelRows, toExcelValue } from '../../addin/src/workbook/excel-values';
import { sheetNameFor, tableNameFor } from '../../addin/src/workbook/names';
import type { Cell, CellKind } from '../../addin/src/shape';

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

  it('reads YYYY-MM-DD exactly as Date.parse at UTC midnight, odd days, months and years included', () => {
    const viaParse = (iso: string) => {
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? Date.parse(`${iso}T00:00:00Z`) : Number.NaN;
      return Number.isNaN(ms) ? null : ms / 86_400_000 + 25_569;
    };
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    for (const year of [0, 1, 99, 100, 999, 1899, 1900, 1970, 2024, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const iso = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(excelDateSerial(iso), iso).toBe(viaParse(iso));
        }
      }
    }
    for (const odd of ['2024-3-01x', '2024/03/01', '20240-3-01', '2024-03-0a', '+024-03-01', '2024-03-01 ']) {
      expect(excelDateSerial(odd), odd).toBe(viaParse(odd));
    }
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
      queue.push(rows[i]!, jsonBytes(rows[i]) + 1);
      if ((i + 1) % page === 0) await queue.flush(false);
    }
    await queue.flush(true);
    return sizes;
  }

  it('measures rows exactly as JSON UTF-8, without stringifying plain cells', () => {
    const tricky = ["'plain", 'quote " and \\ slash', 'é ü 漢字 😀', 'tab\tnew\nline\u0001', '', 0, -12.5, 1e21, 45123.4375, NaN, true, false, null];
    for (const cell of tricky) expect(cellBytes(cell)).toBe(jsonBytes(cell));
  });

  it('converts rows as toExcelValue does each cell, sized exactly as JSON of the values plus the comma before the next row', () => {
    const cells = ['plain', 'quote " and \\ slash', 'é ü 漢字 😀', 'tab\tnew\nline\u0001', '', null, 0, -12.5, 1e21, true, '2024-03-01', '2024-03-01T06:00:00Z', 'not a date'];
    const kinds: CellKind[] = ['text', 'text', 'text', 'text', 'text', 'number', 'number', 'number', 'number', 'boolean', 'date', 'date', 'date'];
    const converted = toExcelRows([cells, cells], kinds);
    expect(converted.values[0]).toEqual(cells.map((cell, i) => toExcelValue(cell, kinds[i]!)));
    expect(converted.values[0]![0]).toBe("'plain");
    expect(converted.bytes).toEqual([jsonBytes(converted.values[0]) + 1, jsonBytes(converted.values[1]) + 1]);
    expect(toExcelRows([[]], []).bytes).toEqual([jsonBytes([]) + 1]);
    // Any cell in any kind of column, since a connector may send a number in a text column and so on.
    const cell = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('2024-02-30', '1999-12-31T23:59:59Z', '', '0042'), fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
    const kind = fc.constantFrom<CellKind>('text', 'number', 'date', 'boolean');
    fc.assert(
      fc.property(fc.array(kind, { maxLength: 8 }).chain((ks) => fc.tuple(fc.constant(ks), fc.array(fc.tuple(...ks.map(() => cell)), { maxLength: 5 }))), ([ks, rows]) => {
        const out = toExcelRows(rows as Cell[][], ks);
        return rows.every((row, r) =>
          JSON.stringify(out.values[r]) === JSON.stringify(row.map((c, i) => toExcelValue(c as Cell, ks[i]!))) && out.bytes[r] === jsonBytes(out.values[r]) + 1,
        );
      }),
    );
  });

  it('measures any number exactly as JSON writes it', () => {
    const edges = [0, -0, 9, 10, -10, 99, 100, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, -1e-7, Infinity, -Infinity,
      0.05, 0.5, -0.5, 0.1 + 0.2, 12.3, 9347.15, -9347.15, 999999999.99, 1e9 - 0.01, 1e9 + 0.5, 0.005, 0.015, 1.005, 123456.785];
    for (const n of edges) expect(cellBytes(n), String(n)).toBe(jsonBytes(n));
    const cents = fc.integer({ min: -1e11, max: 1e11 }).map((k) => k / 100);
    const near = (limit: number) => fc.double({ min: -limit, max: limit, noNaN: true });
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.double(), fc.maxSafeInteger(), cents, near(1), near(1e9), near(1e10)), (n) => cellBytes(n) === jsonBytes(n)),
      { numRuns: 20_000 },
    );
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
    for (const row of rows) queue.push(row, jsonBytes(row) + 1);
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
    for (const row of rows) queue.push(row, jsonBytes(row) + 1);
    await expect(queue.flush(true)).rejects.toThrow('InvalidArgument');
    expect(calls).toBe(1);
  });
});
