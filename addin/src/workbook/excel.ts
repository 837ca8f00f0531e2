import { PaneError } from '../errors';
import { FormatTracker, type Cell, type CellKind, type GridColumn } from '../shape';
import { DEFAULT_LIMITS, writeInBlocks, type ChunkLimits } from './chunks';
import { toExcelRow, type ExcelValue } from './excel-values';
import { sheetNameFor, tableNameFor } from './names';
import { TABLE_MISSING, type TableRef, type TableWriter, type Workbook } from './port';

/** `Excel.run`, injected so the adapter runs against a fake Excel in tests. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** The Workbook port on office.js: each pulled table is a named Excel table on its own sheet. */
export class ExcelWorkbook implements Workbook {
  readonly kind = 'excel' as const;

  constructor(
    private readonly run: ExcelRun,
    private readonly limits: ChunkLimits = DEFAULT_LIMITS,
  ) {}

  async create(title: string, columns: GridColumn[]): Promise<TableWriter> {
    const made = await this.run(async (context) => {
      const { workbook } = context;
      const tables = workbook.tables.load('items/name');
      const names = workbook.names.load('items/name');
      const sheets = workbook.worksheets.load('items/name');
      await context.sync();
      // A sheet of its own: a new table never lands on top of the analyst's cells.
      const sheet = workbook.worksheets.add(sheetNameFor(title, sheets.items.map((s) => s.name)));
      const header = sheet.getRangeByIndexes(0, 0, 1, columns.length);
      header.values = [columns.map((c) => c.name)];
      const table = sheet.tables.add(header, true);
      table.name = tableNameFor(title, [...tables.items, ...names.items].map((item) => item.name));
      sheet.activate();
      table.load('id');
      sheet.load('id');
      const body = table.getDataBodyRange().load('rowCount');
      await context.sync();
      return { tableId: table.id, sheetId: sheet.id, bodyRows: body.rowCount };
    });
    return new ExcelTableWriter(this.run, made.tableId, columns, made.bodyRows, { ...this.limits }, made.sheetId);
  }

  async replace(id: string, columns: GridColumn[]): Promise<TableWriter> {
    const bodyRows = await this.run(async (context) => {
      const table = context.workbook.tables.getItemOrNullObject(id);
      await context.sync();
      if (table.isNullObject) throw new PaneError('table_missing', TABLE_MISSING);
      const header = table.getHeaderRowRange().load('columnCount');
      const body = table.getDataBodyRange().load('rowCount');
      await context.sync();
      // Columns change at the right edge only; Excel shifts whatever stands beside the table.
      for (let c = header.columnCount; c < columns.length; c++) table.columns.add();
      for (let c = header.columnCount - 1; c >= columns.length; c--) table.columns.getItemAt(c).delete();
      table.getHeaderRowRange().values = [columns.map((c) => c.name)];
      await context.sync();
      return body.rowCount;
    });
    return new ExcelTableWriter(this.run, id, columns, bodyRows, { ...this.limits }, null);
  }

  async names(ids: string[]): Promise<Map<string, string>> {
    return this.run(async (context) => {
      const found = ids.map((id) => [id, context.workbook.tables.getItemOrNullObject(id).load('name')] as const);
      await context.sync();
      return new Map(found.filter(([, t]) => !t.isNullObject).map(([id, t]) => [id, t.name]));
    });
  }
}

/**
 * Writes records over the table's existing body rows first, then appends rows to it. Appending
 * through the table (not the sheet) makes Excel push anything below the table down, so a refresh
 * that grows never overwrites the analyst's cells, wherever they moved the table.
 */
class ExcelTableWriter implements TableWriter {
  private written = 0;
  private readonly kinds: CellKind[];
  private readonly formats: FormatTracker;

  constructor(
    private readonly run: ExcelRun,
    private readonly tableId: string,
    private readonly columns: GridColumn[],
    private bodyRows: number,
    private readonly limits: ChunkLimits,
    private readonly createdSheetId: string | null,
  ) {
    this.kinds = columns.map((c) => c.kind);
    this.formats = new FormatTracker(columns);
  }

  async append(rows: Cell[][]): Promise<void> {
    this.formats.observe(rows);
    const values = rows.map((row) => toExcelRow(row, this.kinds));
    await writeInBlocks(values, this.limits, (offset, slice) => this.writeRows(this.written + offset, slice));
    this.written += rows.length;
  }

  async finish(): Promise<TableRef> {
    await this.trimLeftovers();
    await this.applyNumberFormats();
    return this.run(async (context) => {
      const table = context.workbook.tables.getItem(this.tableId);
      table.getRange().format.autofitColumns();
      table.load('id,name');
      await context.sync();
      return { id: table.id, name: table.name };
    });
  }

  async abort(): Promise<void> {
    if (!this.createdSheetId) return;
    const sheetId = this.createdSheetId;
    await this.run(async (context) => {
      const sheet = context.workbook.worksheets.getItemOrNullObject(sheetId);
      await context.sync();
      if (sheet.isNullObject) return;
      sheet.delete();
      await context.sync();
    });
  }

  private writeRows(at: number, values: ExcelValue[][]): Promise<void> {
    return this.run(async (context) => {
      suspendUpdates(context);
      const table = context.workbook.tables.getItem(this.tableId);
      const overwrite = Math.max(0, Math.min(values.length, this.bodyRows - at));
      if (overwrite > 0) {
        const target = table.getDataBodyRange().getCell(at, 0).getResizedRange(overwrite - 1, this.columns.length - 1);
        target.values = values.slice(0, overwrite);
      }
      if (overwrite < values.length) table.rows.add(undefined, values.slice(overwrite));
      await context.sync();
      this.bodyRows = Math.max(this.bodyRows, at + values.length);
    });
  }

  /** Rows beyond the new data are deleted (shifting up what is below); a table keeps one empty row. */
  private async trimLeftovers(): Promise<void> {
    const keep = Math.max(this.written, 1);
    if (this.bodyRows <= keep && this.written > 0) return;
    await this.run(async (context) => {
      suspendUpdates(context);
      const body = context.workbook.tables.getItem(this.tableId).getDataBodyRange();
      const width = this.columns.length;
      if (this.bodyRows > keep) body.getCell(keep, 0).getResizedRange(this.bodyRows - keep - 1, width - 1).delete('Up');
      if (this.written === 0) body.getCell(0, 0).getResizedRange(0, width - 1).clear('Contents');
      await context.sync();
    });
    this.bodyRows = keep;
  }

  /** After the values, per formatted column, in blocks like the values (a format per cell travels too). */
  private async applyNumberFormats(): Promise<void> {
    const formatted = this.formats
      .formats()
      .map((format, column) => ({ format, column }))
      .filter((f): f is { format: string; column: number } => f.format !== null);
    if (formatted.length === 0 || this.written === 0) return;
    const perRow = formatted.map((f) => f.format);
    const rows = new Array<string[]>(this.written).fill(perRow);
    await writeInBlocks(rows, { ...this.limits }, (offset, slice) =>
      this.run(async (context) => {
        suspendUpdates(context);
        const body = context.workbook.tables.getItem(this.tableId).getDataBodyRange();
        for (const { format, column } of formatted) {
          body.getCell(offset, column).getResizedRange(slice.length - 1, 0).numberFormat = slice.map(() => [format]);
        }
        await context.sync();
      }),
    );
  }
}

function suspendUpdates(context: Excel.RequestContext): void {
  context.application.suspendApiCalculationUntilNextSync();
  context.application.suspendScreenUpdatingUntilNextSync();
}
