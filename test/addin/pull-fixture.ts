import { excelBindingStore, type BindingStore } from '../../addin/src/bindings';
import { ConnectorClient } from '../../addin/src/connector';
import type { PullContext } from '../../addin/src/pull';
import { ExcelWorkbook } from '../../addin/src/workbook/excel';
import { CREDENTIALS } from './connector-fixture';
import { FakeExcel } from './fake-excel';

/** A pull into a fresh fake Excel: its workbook, its bindings (in the workbook settings), the msw connector. */
export function fakeExcelPull(): { excel: FakeExcel; bindings: BindingStore; ctx: PullContext } {
  const excel = new FakeExcel();
  const bindings = excelBindingStore(excel.run);
  return { excel, bindings, ctx: { client: ConnectorClient.create(CREDENTIALS), workbook: new ExcelWorkbook(excel.run), bindings } };
}
