import { PaneError } from '../errors';
import { FormatTracker, type Cell, type CellKind, type GridColumn } from '../shape';
import { BlockQueue, DEFAULT_LIMITS, jsonBytes, type ChunkLimits } from './chunks';
import { toExcelRows, toExcelValue, type ExcelValue } from './excel-values';
import { sheetNameFor, tableNameFor } from './names';
import { TABLE_MISSING, type TableRef, type TableTarget, type TableWriter, type Workbook } from './port';

/** `Excel.run`, injected so the adapter runs against a fake Excel in tests. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/**
 * The Workbook port on office.js: each pulled table is a named Excel table on its own sheet.
 * Every batch writes in its last sync only (earlier syncs just read), so a batch Excel refuses
 * can be run again whole (see excel-run.ts).
 */
export class ExcelWorkbook implements Workbook {
  readonly kind = 'excel' as const;

  constructor(
    private readonly run: ExcelRun,
    private readonly limits: ChunkLimits = DEFAULT_LIMITS,
  ) {}

  async create(title: string, columns: GridColumn[]): Promise<TableWriter> {
    const sheetId = await this.run(async (context) => {
      const sheets = context.workbook.worksheets.load('items/name');
      await context.sync();
      // A sheet of its own: a new table never lands on top of the analyst's cells.
      const sheet = context.workbook.worksheets.add(sheetNameFor(title, sheets.items.map((s) => s.name)));
      sheet.getRangeByIndexes(0, 0, 1, columns.length).values = [headerRow(columns)];
      sheet.activate();
      sheet.load('id');
      await context.sync();
      return sheet.id;
    });
    return new NewTableWriter(this.run, sheetId, title, columns, { ...this.limits });
  }

  async replace(target: TableTarget, columns: GridColumn[]): Promise<TableWriter> {
    const found = await this.run(async (context) => {
      const lookup = lookUp(context, target);
      await context.sync();
      const table = lookup();
      if (!table) throw new PaneError('table_missing', TABLE_MISSING);
      table.load('id,name');
      table.autoFilter.load('isDataFiltered');
      const header = table.getHeaderRowRange().load('columnCount');
      const body = table.getDataBodyRange().load('rowCount');
      const firstRow = body.getRow(0).load('formulas');
      await context.sync();
      // Older bindings did not say how many columns were the pane's: then all of them were.
      const width = Math.min(target.width ?? header.columnCount, header.columnCount);
      return {
        id: table.id,
        name: table.name,
        filtered: table.autoFilter.isDataFiltered,
        bodyRows: body.rowCount,
        width,
        // What the analyst's own columns (right of the pane's) hold in a new row: a calculated
        // column's formula, so rows the refresh adds keep it; anything else starts empty.
        ownCells: (firstRow.formulas[0] ?? []).slice(width).map((f) => (typeof f === 'string' && f.startsWith('=') ? f : '')),
      };
    });
    // Excel refuses to insert or delete rows of a filtered table (InsertDeleteConflict), and writes
    // into one land on the wrong rows (office-js #224): refuse before anything is touched.
    if (found.filtered) throw new PaneError('table_busy', excelMessages.filtered(found.name));
    return new RefreshWriter(this.run, found, columns, { ...this.limits });
  }

  async locate(targets: TableTarget[]): Promise<(TableRef | null)[]> {
    return this.run(async (context) => {
      const lookups = targets.map((t) => lookUp(context, t));
      await context.sync();
      const tables = lookups.map((found) => found());
      const headers = tables.map((t) => t?.load('id,name').getHeaderRowRange().load('columnCount') ?? null);
      await context.sync();
      return tables.map((t, i) =>
        t ? { id: t.id, name: t.name, width: Math.min(targets[i]!.width ?? Infinity, headers[i]!.columnCount) } : null,
      );
    });
  }
}

/**
 * Queues the look-up of a table by id and by the name it had (ids are unique only within one
 * workbook); after the next sync the answer is the table by id, else by name, else null.
 */
function lookUp(context: Excel.RequestContext, { id, name }: TableTarget): () => Excel.Table | null {
  const byId = context.workbook.tables.getItemOrNullObject(id);
  const byName = name ? context.workbook.tables.getItemOrNullObject(name) : null;
  return () => {
    if (!byId.isNullObject) return byId;
    return byName && !byName.isNullObject ? byName : null;
  };
}

/**
 * Queues the read of the names a new table must not take (Excel keeps table and defined names in
 * one namespace); the answer is there after the next sync.
 */
function takenNames(context: Excel.RequestContext): () => string[] {
  const tables = context.workbook.tables.load('items/name');
  const names = context.workbook.names.load('items/name');
  return () => [...tables.items, ...names.items].map((item) => item.name);
}

/** Header names are written as text too: a column named `=WEBSERVICE(...)` must not become a formula. */
function headerRow(columns: GridColumn[]): ExcelValue[] {
  return columns.map((c) => toExcelValue(c.name, 'text'));
}

export const excelMessages = {
  filtered: (name: string) =>
    `The table ${name} is filtered, and Excel cannot rewrite a filtered table. Clear the filter on ${name} (Data › Clear), then refresh; you can filter it again afterwards. The table was left as it was.`,
  conflict: (name: string) =>
    `Excel could not make room in the table ${name}: merged cells, a PivotTable or another table stand right below or beside it. Move them away (or unmerge the cells), then refresh. The table was left as it was.`,
  /** Rows were already removed when removing columns was refused: said as it is, not as untouched. */
  conflictAfterRows: (name: string) =>
    `Excel could not remove columns of the table ${name}: merged cells, a PivotTable or another table stand right beside it. Its surplus rows were already removed, the rest is unchanged. Move them away (or unmerge the cells), then refresh again.`,
} as const;

/**
 * A new table: the records go onto the new sheet as plain range writes, and the table is made over
 * them once, at the end. `table.rows.add` is the slow path for bulk loads (office-js #3013: 50,000
 * rows of 20 columns took over 10 s); range writes plus one table over the range is the fast one.
 * Each block's number formats go in the same sync as its values, after them.
 */
class NewTableWriter implements TableWriter {
  private written = 0;
  private readonly kinds: CellKind[];
  private readonly formats: FormatTracker;
  private readonly queue: BlockQueue<ExcelValue[]>;
  /** The format each column's written rows carry; a later change (a fraction, a time) is restated at finish. */
  private readonly applied: (string | null)[];
  private readonly stale = new Set<number>();
  /** Set by `finish`: from then on, the block that empties the queue is the last one. */
  private finishing = false;
  /**
   * The table and defined names, read in the last block's sync: the table is made right after it,
   * so making it takes one sync instead of a read and then the add.
   */
  private taken: string[] | null = null;

  constructor(
    private readonly run: ExcelRun,
    private readonly sheetId: string,
    private readonly title: string,
    private readonly columns: GridColumn[],
    limits: ChunkLimits,
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
    // one block waits in memory. The first block (firstRows) still puts the rows on screen early.
    await this.queue.flush(false);
  }

  async finish(): Promise<TableRef> {
    this.finishing = true;
    await this.queue.flush(true);
    await restateFormats(this.run, this.stale, this.applied, this.written, this.queue.limits, (context, row, rows, column) =>
      this.body(context, row, rows).getColumn(column),
    );
    return this.run(async (context) => {
      // Used once: a batch Excel refused (a cell being edited) is run again later, and reads afresh.
      let taken = this.taken;
      this.taken = null;
      if (!taken) {
        // Also when finish had no block to write: no rows, or rows that filled their blocks exactly.
        const read = takenNames(context);
        await context.sync();
        taken = read();
      }
      const sheet = context.workbook.worksheets.getItem(this.sheetId);
      const table = sheet.tables.add(sheet.getRangeByIndexes(0, 0, 1 + this.written, this.columns.length), true);
      table.name = tableNameFor(this.title, taken);
      table.getRange().format.autofitColumns();
      table.load('id,name');
      await context.sync();
      return { id: table.id, name: table.name, width: this.columns.length };
    });
  }

  async abort(): Promise<void> {
    await this.run(async (context) => {
      const sheet = context.workbook.worksheets.getItemOrNullObject(this.sheetId);
      await context.sync();
      if (sheet.isNullObject) return;
      sheet.delete();
      await context.sync();
    });
  }

  private body(context: Excel.RequestContext, row: number, rows: number): Excel.Range {
    return context.workbook.worksheets.getItem(this.sheetId).getRangeByIndexes(1 + row, 0, rows, this.columns.length);
  }

  private async writeRows(values: ExcelValue[][]): Promise<void> {
    const at = this.written;
    const formats = this.formats.formats();
    const last = this.finishing && values.length === this.queue.pending;
    await this.run(async (context) => {
      suspendUpdates(context);
      const range = this.body(context, at, values.length);
      range.values = values;
      setFormats(range, formats, values.length);
      const read = last ? takenNames(context) : null;
      await context.sync();
      if (read) this.taken = read();
    });
    formats.forEach((format, column) => {
      if (at > 0 && format !== this.applied[column]) this.stale.add(column);
      this.applied[column] = format;
    });
    this.written = at + values.length;
  }
}

interface FoundTable {
  id: string;
  name: string;
  bodyRows: number;
  /** The pane's columns, from the left. */
  width: number;
  /** Per analyst column (right of the pane's), what a new row gets there. */
  ownCells: string[];
}

/**
 * Rewrites a bound table in place, all or nothing. Records are held until `finish` (a refresh has
 * every page before it writes anyway); then the table's shape changes first, the steps that only
 * add before those that remove, and only then are the remaining rows overwritten. Excel refuses a
 * shape change with InsertDeleteConflict (merged cells, a PivotTable in the way): the steps done so
 * far are undone and nothing was overwritten. Only the pane's own columns are added or removed, at
 * their right edge; columns the analyst added to the right of them stay, calculated ones too.
 */
class RefreshWriter implements TableWriter {
  private readonly rows: ExcelValue[][] = [];
  private readonly bytes: number[] = [];
  private readonly kinds: CellKind[];
  private readonly formats: FormatTracker;

  constructor(
    private readonly run: ExcelRun,
    private readonly table: FoundTable,
    private readonly columns: GridColumn[],
    private readonly limits: ChunkLimits,
  ) {
    this.kinds = columns.map((c) => c.kind);
    this.formats = new FormatTracker(columns);
  }

  async append(rows: Cell[][]): Promise<void> {
    this.formats.observe(rows);
    const { values, bytes } = toExcelRows(rows, this.kinds);
    for (let r = 0; r < values.length; r++) {
      this.rows.push(values[r]!);
      this.bytes.push(bytes[r]!);
    }
  }

  async finish(): Promise<TableRef> {
    const { bodyRows, width, ownCells } = this.table;
    const count = this.rows.length;
    const keep = Math.max(count, 1);
    const wanted = this.columns.length;
    const formats = this.formats.formats();
    const undo: (() => Promise<void>)[] = [];
    let removedRows = false;
    try {
      if (wanted > width) {
        await this.change((table) => {
          // Inserted at the pane's edge, so the analyst's own columns stay at the right.
          for (let c = width; c < wanted; c++) table.columns.add(c);
        });
        undo.push(() => this.change((table) => this.deleteColumns(table, width, wanted)));
      }
      if (count > bodyRows) {
        // Appended through the table, with their data: Excel pushes down whatever is below it.
        // A new row is as wide as the table: blanks in pane columns that go later, the analyst's after.
        const pad = [...new Array<string>(Math.max(0, width - wanted)).fill(''), ...ownCells];
        const full = wanted + pad.length;
        let added = 0;
        undo.push(() => (added ? this.change((table) => this.body(table, bodyRows, added, full).delete('Up')) : Promise.resolve()));
        await this.blocks(bodyRows, count, async (from, slice) => {
          await this.change((table) => {
            table.rows.add(undefined, pad.length ? slice.map((row) => [...row, ...pad]) : slice);
            setFormats(this.body(table, from, slice.length, wanted), formats, slice.length);
          });
          added += slice.length;
        });
      }
      if (bodyRows > keep) {
        await this.change((table) => this.body(table, keep, bodyRows - keep, Math.max(wanted, width) + ownCells.length).delete('Up'));
        removedRows = true;
      }
      if (wanted < width) await this.change((table) => this.deleteColumns(table, wanted, width));
    } catch (error) {
      for (const step of undo.reverse()) await step().catch(() => undefined);
      if ((error as { code?: unknown } | null)?.code === 'InsertDeleteConflict') {
        throw new PaneError('table_busy', (removedRows ? excelMessages.conflictAfterRows : excelMessages.conflict)(this.table.name));
      }
      throw error;
    }
    // The shape is right: nothing below can fail for want of room, so the old values go now.
    await this.change((table) => {
      table.getHeaderRowRange().getCell(0, 0).getResizedRange(0, wanted - 1).values = [headerRow(this.columns)];
    }, false);
    await this.blocks(0, Math.min(count, bodyRows), (from, slice) =>
      this.change((table) => {
        const range = this.body(table, from, slice.length, wanted);
        range.values = slice;
        setFormats(range, formats, slice.length);
      }),
    );
    if (count === 0) await this.change((table) => this.body(table, 0, 1, wanted).clear('Contents'));
    return this.run(async (context) => {
      const table = context.workbook.tables.getItem(this.table.id);
      table.getRange().format.autofitColumns();
      table.load('id,name');
      await context.sync();
      return { id: table.id, name: table.name, width: wanted };
    });
  }

  /** Nothing was written before `finish`, so there is nothing to undo. */
  async abort(): Promise<void> {}

  /** One batch on the table, one sync: `act` only queues. */
  private change(act: (table: Excel.Table) => void, suspend = true): Promise<void> {
    return this.run(async (context) => {
      if (suspend) suspendUpdates(context);
      act(context.workbook.tables.getItem(this.table.id));
      await context.sync();
    });
  }

  private body(table: Excel.Table, row: number, rows: number, columns: number): Excel.Range {
    return table.getDataBodyRange().getCell(row, 0).getResizedRange(rows - 1, columns - 1);
  }

  private deleteColumns(table: Excel.Table, from: number, to: number): void {
    for (let c = to - 1; c >= from; c--) table.columns.getItemAt(c).delete();
  }

  /** Rows [from, to) in blocks under the byte budget, halved when Excel still finds one too large. */
  private async blocks(from: number, to: number, write: (at: number, slice: ExcelValue[][]) => Promise<void>): Promise<void> {
    let at = from;
    const queue = new BlockQueue<ExcelValue[]>(
      this.limits,
      async (slice) => {
        await write(at, slice);
        at += slice.length;
      },
      () => formatBytesPerRow(this.formats.formats()),
    );
    for (let r = from; r < to; r++) queue.push(this.rows[r]!, this.bytes[r]!);
    await queue.flush(true);
  }
}

/**
 * A column whose format changed after earlier blocks were written (integers, then a fraction)
 * gets its final format over every row, column by column, in blocks under the byte budget.
 * Rare: it costs syncs only when a page changes a column's format.
 */
async function restateFormats(
  run: ExcelRun,
  stale: Set<number>,
  applied: (string | null)[],
  rows: number,
  limits: ChunkLimits,
  cells: (context: Excel.RequestContext, row: number, rows: number, column: number) => Excel.Range,
): Promise<void> {
  for (const column of stale) {
    const format = applied[column]!;
    const queue = new BlockQueue<number>({ ...limits, firstRows: Infinity }, (slice) =>
      run(async (context) => {
        suspendUpdates(context);
        cells(context, slice[0]!, slice.length, column).numberFormat = new Array<string[]>(slice.length).fill([format]);
        await context.sync();
      }),
    );
    const perRow = formatBytesPerRow([format]);
    for (let row = 0; row < rows; row++) queue.push(row, perRow);
    await queue.flush(true);
  }
  stale.clear();
}

/** Number formats over `rows` rows of `range`, column by column, for columns that have one. */
function setFormats(range: Excel.Range, formats: (string | null)[], rows: number): void {
  formats.forEach((format, column) => {
    if (format === null) return;
    range.getColumn(column).numberFormat = new Array<string[]>(rows).fill([format]);
  });
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
