import { beforeEach, describe, expect, it } from 'vitest';
import { isPaneError } from '../../addin/src/errors';
import type { Cell, GridColumn } from '../../addin/src/shape';
import { ExcelWorkbook, type ExcelRun } from '../../addin/src/workbook/excel';
import { DEFAULT_LIMITS } from '../../addin/src/workbook/chunks';
import { excelRunner } from '../../addin/src/workbook/excel-run';
import { excelDateSerial } from '../../addin/src/workbook/excel-values';
import { FakeExcel, FakeTable } from './fake-excel';

const text = (name: string): GridColumn => ({ name, kind: 'text' });
const num = (name: string): GridColumn => ({ name, kind: 'number' });

function records(count: number, width = 3, from = 0): Cell[][] {
  return Array.from({ length: count }, (_, i) => Array.from({ length: width }, (_, c) => `r${from + i}c${c}`));
}

async function insert(workbook: ExcelWorkbook, title: string, columns: GridColumn[], ...pages: Cell[][][]) {
  const writer = await workbook.create(title, columns);
  for (const page of pages) await writer.append(page);
  return writer.finish();
}

/** `run` that, once armed, calls `act` right after the next batch whose last sync wrote values. */
function afterNextValues(run: ExcelRun, act: () => void): { run: ExcelRun; arm: () => void } {
  let armed = false;
  return {
    arm: () => {
      armed = true;
    },
    run: async (batch) => {
      const result = await run(batch);
      if (armed && excel.syncs.at(-1)!.ops.some((op) => op.startsWith('values'))) {
        armed = false;
        act();
      }
      return result;
    },
  };
}

let excel: FakeExcel;
let workbook: ExcelWorkbook;
beforeEach(() => {
  excel = new FakeExcel();
  workbook = new ExcelWorkbook(excel.run);
});

describe('ExcelWorkbook.create', () => {
  it('writes a named table on a sheet of its own: header row, then one row per record', async () => {
    const ref = await insert(workbook, 'Stock levels', [text('Product'), text('Warehouse'), num('On Hand')], [
      ['P1', 'W1', 5],
      ['P2', 'W1', 7],
    ]);
    expect(ref.name).toBe('Stock_levels');
    expect(excel.tableValues(ref.id)).toEqual([
      ['Product', 'Warehouse', 'On Hand'],
      ['P1', 'W1', 5],
      ['P2', 'W1', 7],
    ]);
    expect(excel.tableById(ref.id)!.sheet.name).toBe('Stock levels');
    expect(excel.autofits).toBeGreaterThan(0);
  });

  it('derives unique names when the title is already taken', async () => {
    const first = await insert(workbook, 'Customers', [text('Code')], [['C1']]);
    const second = await insert(workbook, 'Customers', [text('Code')], [['C2']]);
    expect([first.name, second.name]).toEqual(['Customers', 'Customers_2']);
    expect(excel.sheets.map((s) => s.name)).toEqual(['Sheet1', 'Customers', 'Customers (2)']);
  });

  it('writes a first block of 5,000 rows, then blocks sized by bytes, each with calculation and screen updating suspended', async () => {
    const rows = records(12_000);
    const ref = await insert(workbook, 'Big', [text('A'), text('B'), text('C')], rows);
    const writes = excel.syncs.filter((s) => s.ops.some((op) => /^(values|rows\.add|tables\.add)/.test(op)));
    expect(writes.map((s) => s.ops)).toEqual([
      ['values 1x3'], // the header, on the new sheet
      ['values 5000x3'],
      ['values 7000x3'], // ~0.2 MB: far under the byte budget, so the rest of the page goes in one sync
      ['tables.add'], // one table over everything written
    ]);
    expect(writes.slice(1, 3).every((s) => s.suspendedCalculation && s.suspendedScreen)).toBe(true);
    expect(excel.tableValues(ref.id).slice(1)).toEqual(rows);
  });

  it('takes one sync per block besides two that make the sheet and one that makes the table: the last block reads the names', async () => {
    const ref = await insert(workbook, 'Counted', [text('A'), text('B'), text('C')], records(12_000));
    expect(excel.syncs.map((s) => s.ops.filter((op) => /^(values|tables\.add)/.test(op)))).toEqual([
      [], // the sheet names
      ['values 1x3'], // the new sheet and its header
      ['values 5000x3'],
      ['values 7000x3'], // the last block, with the read of the table and defined names
      ['tables.add'],
    ]);
    expect(excel.syncs.every((s) => s.ok)).toBe(true);
    expect(ref.name).toBe('Counted');
  });

  // The names are read in the last block's sync when finish has one to write, else in the table's own batch.
  it.each([
    ['a table', 'the last block written by finish', DEFAULT_LIMITS, 1],
    ['a defined name', 'the last block written by finish', DEFAULT_LIMITS, 2],
    ['a table', 'no block left for finish (rows filled their blocks)', { firstRows: 2, maxRows: 2, maxBytes: Infinity }, 4],
    ['a defined name', 'no rows at all', DEFAULT_LIMITS, 0],
  ] as const)('a name taken by %s still gets the next free one, with %s', async (kind, _when, limits, count) => {
    if (kind === 'a table') excel.tables.push(new FakeTable('table-x', 'Taken', excel.sheets[0]!, 10, 10, 2, 1));
    else excel.definedNames.push('Taken');
    const ref = await insert(new ExcelWorkbook(excel.run, { ...limits }), 'Taken', [text('A')], records(count, 1));
    expect(ref.name).toBe('Taken_2');
    expect(excel.tableValues(ref.id).slice(1)).toEqual(count ? records(count, 1) : [[null]]);
  });

  it('a table name taken between the read and the add fails the finish, and abort leaves nothing half-made', async () => {
    // Right after the last block's sync read the names, another table takes the name.
    const race = afterNextValues(excel.run, () => excel.tables.push(new FakeTable('table-x', 'Race', excel.sheets[0]!, 10, 10, 2, 1)));
    const writer = await new ExcelWorkbook(race.run).create('Race', [text('A')]);
    await writer.append(records(3, 1));
    race.arm();
    const error = await writer.finish().catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('InvalidArgument');
    await writer.abort();
    expect(excel.sheets.map((s) => s.name)).toEqual(['Sheet1']);
    expect(excel.tables.map((t) => t.name)).toEqual(['Race']);
  });

  it('a table batch Excel refused (a cell being edited) reads the names again when it is run again', async () => {
    const runner = excelRunner(excel.api, false, { everyMs: 0, tries: 3, sleep: async () => excel.endCellEdit() });
    // The analyst starts editing a cell right after the last block; meanwhile the name is taken.
    const edit = afterNextValues(runner, () => {
      excel.tables.push(new FakeTable('table-x', 'Edited', excel.sheets[0]!, 10, 10, 2, 1));
      excel.startCellEdit();
    });
    const writer = await new ExcelWorkbook(edit.run).create('Edited', [text('A')]);
    await writer.append(records(3, 1));
    edit.arm();
    const ref = await writer.finish();
    expect(excel.refusedForCellEdit).toBe(1);
    expect(ref.name).toBe('Edited_2');
  });

  it('a new table is written as plain ranges and made a table once: no row goes through table.rows.add (office-js #3013)', async () => {
    const ref = await insert(workbook, 'Bulk', [text('A'), text('B'), text('C')], records(6000), records(6000, 3, 6000));
    expect(excel.rowsAddedThroughTable).toBe(0);
    expect(excel.rowsWrittenAsRange).toBe(1 + 12_000);
    expect(excel.syncs.filter((s) => s.ops.includes('tables.add'))).toHaveLength(1);
    expect(excel.tableById(ref.id)).toMatchObject({ row: 0, col: 0, rows: 12_001, cols: 3 });
  });

  it('a new table with no rows still is a table (one empty row, as Excel makes it)', async () => {
    const ref = await insert(workbook, 'Nothing', [text('A'), text('B')]);
    expect(excel.tableValues(ref.id)).toEqual([
      ['A', 'B'],
      [null, null],
    ]);
  });

  it('writes header names as text: a name like a formula or a number stays as it is', async () => {
    const ref = await insert(workbook, 'Headers', [text('=WEBSERVICE("https://evil.example")'), text('2024'), text('Name')], [['a', 'b', 'c']]);
    expect(excel.tableValues(ref.id)[0]).toEqual(['=WEBSERVICE("https://evil.example")', '2024', 'Name']);
    const refreshed = await workbook.replace({ id: ref.id }, [text('=1+1'), text('007')]);
    await refreshed.append([['x', 'y']]);
    await refreshed.finish();
    expect(excel.tableValues(ref.id)[0]).toEqual(['=1+1', '007']);
  });

  it('keeps every sync under 4 MB when rows are wide, and fills later syncs towards the budget', async () => {
    const wide = Array.from({ length: 12_000 }, (_, i) => [`row ${i} `.padEnd(1500, 'x')]);
    const ref = await insert(workbook, 'Wide', [text('Note')], wide);
    const writes = excel.syncs.filter((s) => s.ops.some((op) => op.startsWith('values')));
    const body = writes.slice(1); // after the header
    expect(body.length).toBe(Math.ceil((12_000 * 1504) / (3.5 * 1024 * 1024)));
    for (const sync of body) expect(sync.payload).toBeLessThan(4 * 1024 * 1024);
    for (const sync of body.slice(0, -1)) expect(sync.payload).toBeGreaterThan(3 * 1024 * 1024);
    expect(excel.tableValues(ref.id).length).toBe(12_001);
  });

  it.each(['RequestPayloadSizeLimitExceeded', 'GeneralException'] as const)('halves the block and retries when Excel rejects a request as too large (%s)', async (code) => {
    excel.payloadError = code;
    excel.payloadLimit = 40_000; // far below the adapter's own estimate, as on a strict host
    const rows = records(3000);
    const ref = await insert(workbook, 'Strict', [text('A'), text('B'), text('C')], rows);
    const rejected = excel.syncs.filter((s) => !s.ok);
    expect(rejected.length).toBeGreaterThan(0);
    const writes = excel.syncs.filter((s) => s.ok && s.ops.some((op) => /^(values|rows\.add) /.test(op)));
    for (const sync of writes) expect(sync.payload).toBeLessThanOrEqual(40_000);
    // Once halved, later blocks start small instead of failing again and again.
    expect(rejected.length).toBeLessThan(8);
    expect(excel.tableValues(ref.id).slice(1)).toEqual(rows);
  });

  it('stores text as text: no number coercion, no formulas; dates as serial dates', async () => {
    const ref = await insert(
      workbook,
      'Tricky',
      [text('Code'), text('Name'), { name: 'Since', kind: 'date' }, { name: 'Active', kind: 'boolean' }],
      [
        ['00123', '=HYPERLINK("http://x")', '2024-03-01', true],
        ['', null, null, false],
      ],
    );
    expect(excel.tableValues(ref.id).slice(1)).toEqual([
      ['00123', '=HYPERLINK("http://x")', excelDateSerial('2024-03-01'), true],
      [null, null, null, false],
    ]);
  });

  it("sets number formats for numbers and dates in the same sync as their block's values, after them", async () => {
    const columns: GridColumn[] = [
      text('Code'),
      num('Count'),
      num('Price'),
      { name: 'Day', kind: 'date' },
      { name: 'At', kind: 'date' },
      { name: 'Active', kind: 'boolean' },
    ];
    // A block per row, so two blocks each carry their own formats.
    const rowPerBlock = new ExcelWorkbook(excel.run, { firstRows: 1, maxRows: 1, maxBytes: Infinity });
    const ref = await insert(rowPerBlock, 'Formats', columns, [['A', 1, 2, '2024-01-01', '2024-01-01T10:30:00Z', true]], [
      ['B', 3, 4.5, '2024-01-02', '2024-01-02T00:00:00Z', false],
    ]);
    expect(excel.tableFormats(ref.id)).toEqual([
      ['General', '#,##0', '#,##0.00', 'yyyy-mm-dd', 'yyyy-mm-dd hh:mm:ss', 'General'],
      ['General', '#,##0', '#,##0.00', 'yyyy-mm-dd', 'yyyy-mm-dd hh:mm:ss', 'General'],
    ]);
    // Each block carries its formats after its values, in one sync.
    const blocks = excel.syncs.filter((s) => s.ops.some((op) => /^(values|rows\.add) /.test(op))).slice(1); // after the header's
    expect(blocks).toHaveLength(2);
    for (const { ops } of blocks) {
      const lastValues = ops.findLastIndex((op) => /^(values|rows\.add) /.test(op));
      expect(ops.findIndex((op) => op.startsWith('numberFormat'))).toBeGreaterThan(lastValues);
    }
  });

  it('restates a column whose format changed after earlier blocks were written', async () => {
    const first = Array.from({ length: 5000 }, (_, i): Cell[] => [`C${i}`, i]);
    const later: Cell[][] = [['D1', 2.5], ['D2', 3]];
    const ref = await insert(workbook, 'Late fraction', [text('Code'), num('Amount')], first, later);
    const formats = excel.tableFormats(ref.id);
    expect(formats).toHaveLength(5002);
    expect(formats.every((row) => row[1] === '#,##0.00')).toBe(true);
  });

  it('abort removes the half-written table and its sheet', async () => {
    const writer = await workbook.create('Partial', [text('A')]);
    await writer.append([['x']]);
    await writer.abort();
    expect(excel.tables).toHaveLength(0);
    expect(excel.sheets.map((s) => s.name)).toEqual(['Sheet1']);
  });
});

describe('ExcelWorkbook.replace (refresh)', () => {
  it('resizes the table in place where the analyst moved it, shifting their cells instead of overwriting them', async () => {
    const ref = await insert(workbook, 'Moved', [text('A'), text('B'), text('C')], records(5));
    excel.moveTable(ref.id, 3, 2);
    const table = excel.tableById(ref.id)!;
    excel.setCell(table.sheet, 3 + 6 + 1, 2, 'my note below'); // one empty row under the table

    const grow = await workbook.replace({ id: ref.id }, [text('A'), text('B'), text('C'), text('D')]);
    await grow.append(records(8, 4, 100));
    await grow.finish();
    expect(table).toMatchObject({ row: 3, col: 2, rows: 9, cols: 4 });
    expect(excel.tableValues(ref.id)).toEqual([['A', 'B', 'C', 'D'], ...records(8, 4, 100)]);
    expect(table.sheet.get(3 + 9 + 1, 2)).toBe('my note below');

    const shrink = await workbook.replace({ id: ref.id }, [text('X'), text('Y')]);
    await shrink.append(records(2, 2, 200));
    await shrink.finish();
    expect(table).toMatchObject({ row: 3, col: 2, rows: 3, cols: 2 });
    expect(excel.tableValues(ref.id)).toEqual([['X', 'Y'], ...records(2, 2, 200)]);
    expect(table.sheet.get(3 + 3 + 1, 2)).toBe('my note below');
    expect(excel.tables).toHaveLength(1);
  });

  it('keeps the table (one empty row) when a refresh brings no rows', async () => {
    const ref = await insert(workbook, 'Emptied', [text('A')], records(3, 1));
    const writer = await workbook.replace({ id: ref.id }, [text('A')]);
    await writer.append([]);
    await writer.finish();
    expect(excel.tableValues(ref.id)).toEqual([['A'], [null]]);
  });

  it('a replace that is aborted leaves the table as it was', async () => {
    const ref = await insert(workbook, 'Kept', [text('A')], records(2, 1));
    const writer = await workbook.replace({ id: ref.id }, [text('A')]);
    await writer.abort();
    expect(excel.tableValues(ref.id)).toEqual([['A'], ...records(2, 1)]);
  });

  it('reports a table the analyst deleted as table_missing', async () => {
    const error = await workbook.replace({ id: 'table-404' }, [text('A')]).catch((e: unknown) => e);
    expect(isPaneError(error, 'table_missing')).toBe(true);
  });
});

describe('ExcelWorkbook.locate', () => {
  it('gives current names of tables that still exist, null for those gone', async () => {
    const a = await insert(workbook, 'Alpha', [text('A')], [['1']]);
    excel.tableById(a.id)!.name = 'Renamed';
    expect(await workbook.locate([{ id: a.id }, { id: 'table-404' }])).toEqual([{ id: a.id, name: 'Renamed', width: 1 }, null]);
  });
});
