import { PaneError } from '../errors';
import { FormatTracker, type Cell, type CellKind, type GridColumn } from '../shape';
import { BlockQueue, DEFAULT_LIMITS, jsonBytes, type ChunkLimits } from './chunks';
import { toExcelRows, type ExcelValue } from './excel-values';
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
 * Each block's number formats go in the same sync as its values, after them.
 */
class ExcelTableWriter implements TableWriter {
  private written = 0;
  private readonly kinds: CellKind[];
  private readonly formats: FormatTracker;
  private readonly queue: BlockQueue<ExcelValue[]>;
  /** The format each column's written rows carry; a later change (a fraction, a time) is restated at finish. */
  private readonly applied: (string | null)[];
  private readonly stale = new Set<number>();

  constructor(
    private readonly run: ExcelRun,
    private readonly tableId: string,
    private readonly columns: GridColumn[],
    private bodyRows: number,
    limits: ChunkLimits,
    private readonly createdSheetId: string | null,
  ) {
    this.kinds = columns.map((c) => c.kind);
    this.formats = new FormatTracker(columns);
    this.applied = columns.map(() => null);
    this.queue = new BlockQueue(limits, (slice) => this.writeRows(slice), () => formatBytesPerRow(this.formats.formats()));
  }

  async append(rows: Cell[][]): Promise<void> {
    this.formats.observe(rows);
    const { values, bytes } = toExcelRows(rows, this.kinds);
    for (let r = 0; r < values.length; r++) this.queue.push(values[r]!, bytes[r]!);
    // Full blocks only: rows are written as pages arrive, but a block spans pages until it holds
    // its ~3.5 MB, so a sync carries a full block (syncs ≈ bytes / 3.5 MB, bench row 5) and at most
    // one block waits in memory. The first block (firstRows) still puts the table on screen early.
    await this.queue.flush(false);
  }

  async finish(): Promise<TableRef> {
    await this.queue.flush(true);
    await this.trimLeftovers();
    await this.restateFormats();
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

  private async writeRows(values: ExcelValue[][]): Promise<void> {
    const at = this.written;
    const formats = this.formats.formats();
    await this.run(async (context) => {
      suspendUpdates(context);
      const table = context.workbook.tables.getItem(this.tableId);
      const overwrite = Math.max(0, Math.min(values.length, this.bodyRows - at));
      if (overwrite > 0) {
        const target = table.getDataBodyRange().getCell(at, 0).getResizedRange(overwrite - 1, this.columns.length - 1);
        target.values = values.slice(0, overwrite);
      }
      if (overwrite < values.length) table.rows.add(undefined, values.slice(overwrite));
      const body = table.getDataBodyRange();
      formats.forEach((format, column) => {
        if (format === null) return;
        body.getCell(at, column).getResizedRange(values.length - 1, 0).numberFormat = new Array<string[]>(values.length).fill([format]);
      });
      await context.sync();
    });
    formats.forEach((format, column) => {
      if (at > 0 && format !== this.applied[column]) this.stale.add(column);
      this.applied[column] = format;
    });
    this.bodyRows = Math.max(this.bodyRows, at + values.length);
    this.written = at + values.length;
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

  /**
   * A column whose format changed after earlier blocks were written (integers, then a fraction)
   * gets its final format over every row, column by column, in blocks under the byte budget.
   * Rare: it costs syncs only when a page changes a column's format.
   */
  private async restateFormats(): Promise<void> {
    for (const column of this.stale) {
      const format = this.applied[column]!;
      const queue = new BlockQueue<number>({ ...this.queue.limits, firstRows: Infinity }, (slice) =>
        this.run(async (context) => {
          suspendUpdates(context);
          const body = context.workbook.tables.getItem(this.tableId).getDataBodyRange();
          body.getCell(slice[0]!, column).getResizedRange(slice.length - 1, 0).numberFormat = new Array<string[]>(slice.length).fill([format]);
          await context.sync();
        }),
      );
      const perRow = formatBytesPerRow([format]);
      for (let row = 0; row < this.written; row++) queue.push(row, perRow);
      await queue.flush(true);
    }
    this.stale.clear();
  }
}

/** JSON bytes per row of the number formats sent with a block: `["fmt"],` per formatted column. */
function formatBytesPerRow(formats: (string | null)[]): number {
  let bytes = 0;
  for (const format of formats) if (format !== null) bytes += jsonBytes(format) + 3;
  return bytes;
}

function suspendUpdates(context: Excel.RequestContext): void {
  context.application.suspendApiCalculationUntilNextSync();
  context.application.suspendScreenUpdatingUntilNextSync();
}
