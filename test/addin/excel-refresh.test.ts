import { beforeEach, describe, expect, it } from 'vitest';
import { isPaneError, type PaneError } from '../../addin/src/errors';
import type { Cell, GridColumn } from '../../addin/src/shape';
import { ExcelWorkbook } from '../../addin/src/workbook/excel';
import type { TableRef } from '../../addin/src/workbook/port';
import { FakeExcel } from './fake-excel';

/** Refresh against the ways real Excel refuses to move table rows and columns (issue 12, items 2 and 7). */

const text = (name: string): GridColumn => ({ name, kind: 'text' });
const cols = (...names: string[]) => names.map(text);
const records = (count: number, width: number, from = 0): Cell[][] =>
  Array.from({ length: count }, (_, i) => Array.from({ length: width }, (_, c) => `r${from + i}c${c}`));

let excel: FakeExcel;
let workbook: ExcelWorkbook;
let ref: TableRef;

beforeEach(async () => {
  excel = new FakeExcel();
  workbook = new ExcelWorkbook(excel.run);
  const writer = await workbook.create('Orders', cols('A', 'B', 'C'));
  await writer.append(records(5, 3));
  ref = await writer.finish();
});

async function refresh(columns: GridColumn[], rows: Cell[][], width?: number): Promise<TableRef> {
  const writer = await workbook.replace({ id: ref.id, name: ref.name, width }, columns);
  await writer.append(rows);
  return writer.finish();
}

async function refused(promise: Promise<unknown>): Promise<PaneError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!isPaneError(error)) throw new Error(`expected a PaneError, got ${String(error)}`);
  return error;
}

/** The table's cells, the cells around it and its size: what "left exactly as it was" compares. */
function snapshot() {
  const t = excel.tableById(ref.id)!;
  return { cells: new Map(t.sheet.cells), formats: new Map(t.sheet.formats), rows: t.rows, cols: t.cols, row: t.row, col: t.col };
}

describe('a filtered table', () => {
  it.each([
    ['fewer rows', 2],
    ['more rows', 9],
  ])('is refused before anything is written (%s), with what to do', async (_case, count) => {
    excel.filterTable(ref.id);
    const before = snapshot();
    const syncs = excel.syncs.length;
    const error = await refused(refresh(cols('A', 'B', 'C'), records(count, 3, 100)));
    expect(error.code).toBe('table_busy');
    expect(error.message).toContain('Clear the filter on Orders');
    expect(error.message).toContain('The table was left as it was.');
    expect(snapshot()).toEqual(before);
    expect(excel.syncs.slice(syncs).flatMap((s) => s.ops)).toEqual([]); // only reads
  });

  it('in real Excel, rewriting it the old way (overwrite, then delete the rest) fails half-way: the fake reproduces that', async () => {
    excel.filterTable(ref.id);
    const error = await excel
      .run(async (context) => {
        const body = context.workbook.tables.getItem(ref.id).getDataBodyRange();
        body.getCell(0, 0).getResizedRange(1, 2).values = records(2, 3, 100);
        await context.sync();
        body.getCell(2, 0).getResizedRange(2, 2).delete('Up');
        await context.sync();
      })
      .catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('InsertDeleteConflict');
    expect(excel.tableValues(ref.id)[1]).toEqual(['r100c0', 'r100c1', 'r100c2']); // half-written
  });
});

describe('merged cells or a PivotTable in the way', () => {
  it('merged cells below a table that grows: nothing changes, added columns are taken back, and the message says what to do', async () => {
    const sheet = excel.tableById(ref.id)!.sheet;
    excel.setCell(sheet, 8, 0, 'merged note');
    sheet.obstacles.push({ kind: 'merged', row: 8, col: 0, rows: 1, cols: 5 }); // wider than the table: cannot move with it
    const before = snapshot();
    const error = await refused(refresh(cols('A', 'B', 'C', 'D'), records(9, 4, 100)));
    expect(error.code).toBe('table_busy');
    expect(error.message).toBe(
      'Excel could not make room in the table Orders: merged cells, a PivotTable or another table stand right below or beside it. Move them away (or unmerge the cells), then refresh. The table was left as it was.',
    );
    expect(snapshot()).toEqual(before);
  });

  it('a PivotTable below a table that shrinks: nothing changes', async () => {
    const sheet = excel.tableById(ref.id)!.sheet;
    sheet.obstacles.push({ kind: 'pivot', row: 8, col: 1, rows: 3, cols: 2 });
    const before = snapshot();
    expect((await refused(refresh(cols('A', 'B', 'C'), records(2, 3, 100)))).code).toBe('table_busy');
    expect(snapshot()).toEqual(before);
  });

  it('merged cells beside a table that gains a column: nothing changes', async () => {
    const sheet = excel.tableById(ref.id)!.sheet;
    sheet.obstacles.push({ kind: 'merged', row: 0, col: 3, rows: 8, cols: 2 }); // taller than the table
    const before = snapshot();
    expect((await refused(refresh(cols('A', 'B', 'C', 'D'), records(5, 4, 100)))).code).toBe('table_busy');
    expect(snapshot()).toEqual(before);
  });

  it('rows already removed when removing columns is refused: the message says so instead of claiming nothing changed', async () => {
    const sheet = excel.tableById(ref.id)!.sheet;
    sheet.obstacles.push({ kind: 'merged', row: 0, col: 3, rows: 8, cols: 2 });
    const error = await refused(refresh(cols('A', 'B'), records(2, 2, 100)));
    expect(error.message).toContain('Its surplus rows were already removed, the rest is unchanged.');
    expect(excel.tableValues(ref.id).slice(1)).toEqual(records(2, 3)); // old values, fewer rows
  });

  it('a refresh with room writes the new data and moves the merged cells below down with the table', async () => {
    const sheet = excel.tableById(ref.id)!.sheet;
    excel.setCell(sheet, 8, 0, 'merged note');
    sheet.obstacles.push({ kind: 'merged', row: 8, col: 0, rows: 1, cols: 2 }); // within the table's columns: moves whole
    await refresh(cols('A', 'B', 'C'), records(8, 3, 100));
    expect(excel.tableValues(ref.id).slice(1)).toEqual(records(8, 3, 100));
    expect(sheet.get(11, 0)).toBe('merged note');
  });
});

describe("the analyst's own columns", () => {
  beforeEach(() => excel.addCalculatedColumn(ref.id, 'Double', '=[@A]&[@A]'));

  it('a refresh with fewer columns removes only the pane\'s, never a calculated column added to the right', async () => {
    const out = await refresh(cols('A', 'B'), records(7, 2, 100), 3);
    expect(out.width).toBe(2);
    const values = excel.tableValues(ref.id);
    expect(values[0]).toEqual(['A', 'B', 'Double']);
    expect(values.slice(1).map((row) => row.slice(0, 2))).toEqual(records(7, 2, 100));
    // Every row, the new ones too, keeps the calculated column's formula.
    expect(values.slice(1).map((row) => row[2])).toEqual(new Array(7).fill({ formula: '=[@A]&[@A]' }));
  });

  it('a refresh with more columns inserts them left of the analyst\'s column', async () => {
    await refresh(cols('A', 'B', 'C', 'D'), records(3, 4, 100), 3);
    const values = excel.tableValues(ref.id);
    expect(values[0]).toEqual(['A', 'B', 'C', 'D', 'Double']);
    expect(values.slice(1).map((row) => row.slice(0, 4))).toEqual(records(3, 4, 100));
    expect(values.slice(1).map((row) => row[4])).toEqual(new Array(3).fill({ formula: '=[@A]&[@A]' }));
  });

  it('without a remembered width (an older binding), every column counts as the pane\'s, as before', async () => {
    await refresh(cols('A', 'B'), records(2, 2, 100));
    expect(excel.tableValues(ref.id)[0]).toEqual(['A', 'B']);
  });
});

describe('a table whose id is not found', () => {
  it('is found by the name it had, and reports its new id', async () => {
    excel.reissueTableIds();
    const writer = await workbook.replace({ id: ref.id, name: 'Orders', width: 3 }, cols('A', 'B', 'C'));
    await writer.append(records(2, 3, 100));
    const out = await writer.finish();
    expect(out.id).not.toBe(ref.id);
    expect(out.name).toBe('Orders');
    expect(excel.tableValues(out.id).slice(1)).toEqual(records(2, 3, 100));
    expect(await workbook.locate([{ id: ref.id, name: 'Orders' }, { id: ref.id }])).toEqual([{ id: out.id, name: 'Orders', width: 3 }, null]);
  });
});
