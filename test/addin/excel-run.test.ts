import { beforeEach, describe, expect, it } from 'vitest';
import { isPaneError } from '../../addin/src/errors';
import type { Cell, GridColumn } from '../../addin/src/shape';
import { ExcelWorkbook } from '../../addin/src/workbook/excel';
import { excelRunner } from '../../addin/src/workbook/excel-run';
import { FakeExcel } from './fake-excel';

const columns: GridColumn[] = [
  { name: 'Code', kind: 'text' },
  { name: 'Amount', kind: 'number' },
];
const rows = (n: number, from = 0): Cell[][] => Array.from({ length: n }, (_, i) => [`C${from + i}`, from + i]);

let excel: FakeExcel;
beforeEach(() => {
  excel = new FakeExcel();
});

/** A pull in three pages, the analyst starting to edit a cell after the first. */
async function pullWhileEditing(workbook: ExcelWorkbook) {
  const writer = await workbook.create('Orders', columns);
  await writer.append(rows(3));
  excel.startCellEdit();
  await writer.append(rows(3, 3));
  await writer.append(rows(3, 6));
  return writer.finish();
}

describe('Excel.run while the analyst edits a cell', () => {
  it('without delayForCellEdit, Excel refuses the batch and the pull dies half-way (the behaviour to avoid)', async () => {
    const workbook = new ExcelWorkbook(excel.run, { firstRows: 1, maxRows: 3, maxBytes: Infinity });
    const error = await pullWhileEditing(workbook).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('InvalidOperationInCellEditMode');
    expect(excel.refusedForCellEdit).toBe(1);
  });

  it('with ExcelApi 1.11, every batch asks Excel to wait for the edit to end: the pull finishes, nothing refused', async () => {
    const workbook = new ExcelWorkbook(excelRunner(excel.api, true), { firstRows: 1, maxRows: 3, maxBytes: Infinity });
    let done = false;
    const pull = pullWhileEditing(workbook).then((ref) => {
      done = true;
      return ref;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false); // held by Excel, not failed
    excel.endCellEdit();
    const ref = await pull;
    expect(excel.refusedForCellEdit).toBe(0);
    expect(excel.tableValues(ref.id).slice(1)).toEqual(rows(9));
  });

  it('below ExcelApi 1.11, a refused batch is tried again until the edit ends, and each row is written once', async () => {
    let waits = 0;
    const sleep = async () => {
      if (++waits === 4) excel.endCellEdit();
    };
    const workbook = new ExcelWorkbook(excelRunner(excel.api, false, { everyMs: 1000, tries: 10, sleep }), {
      firstRows: 1,
      maxRows: 3,
      maxBytes: Infinity,
    });
    const ref = await pullWhileEditing(workbook);
    expect(excel.refusedForCellEdit).toBe(4);
    expect(excel.tableValues(ref.id).slice(1)).toEqual(rows(9));
  });

  it('below ExcelApi 1.11, an edit that never ends gets a plain message after the tries', async () => {
    excel.startCellEdit();
    const run = excelRunner(excel.api, false, { everyMs: 1000, tries: 3, sleep: async () => undefined });
    const error = await new ExcelWorkbook(run).create('Orders', columns).catch((e: unknown) => e);
    expect(isPaneError(error, 'cell_editing')).toBe(true);
    expect((error as Error).message).toContain('Press Enter or Esc to leave the cell');
    expect(excel.refusedForCellEdit).toBe(3);
  });
});
