/**
 * An in-memory Excel, just deep enough for the adapter: worksheets of cells, tables that grow and
 * shrink by shifting the cells around them, workbook settings, and office.js's batching (nothing
 * happens until `context.sync()`, loaded properties only readable after it, a request payload limit
 * that rejects a whole batch). Cells are parsed the way Excel parses typed input, so a missing
 * apostrophe on "00123" shows up as the number 123.
 */
import type { ExcelRun } from '../../addin/src/workbook/excel';
import type { ExcelApi } from '../../addin/src/workbook/excel-run';

export type Stored = string | number | boolean | { formula: string };

interface Rect {
  sheet: FakeSheet;
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface SyncRecord {
  payload: number;
  ok: boolean;
  suspendedCalculation: boolean;
  suspendedScreen: boolean;
  /** e.g. "values 5000x3", "rows.add 2000x3", "numberFormat 5000x1" */
  ops: string[];
}

class ExcelError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const key = (r: number, c: number) => `${r},${c}`;

/** Cells Excel will not move apart: a merged area (moves only whole) or a PivotTable (never moved by a table). */
export interface Obstacle {
  kind: 'merged' | 'pivot';
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export class FakeSheet {
  cells = new Map<string, Stored>();
  formats = new Map<string, string>();
  obstacles: Obstacle[] = [];
  constructor(
    readonly id: string,
    public name: string,
  ) {}

  get(r: number, c: number): Stored | undefined {
    return this.cells.get(key(r, c));
  }

  /** Moves every cell (and format) matching `where` by (dr, dc); `drop` cells are removed first. */
  shift(where: (r: number, c: number) => boolean, dr: number, dc: number, drop?: (r: number, c: number) => boolean): void {
    for (const o of this.obstacles) {
      const cells: [number, number][] = [];
      for (let r = o.row; r < o.row + o.rows; r++) for (let c = o.col; c < o.col + o.cols; c++) cells.push([r, c]);
      const touched = cells.filter(([r, c]) => where(r, c) || drop?.(r, c)).length;
      if (touched > 0 && (o.kind === 'pivot' || touched < cells.length)) {
        throw new ExcelError('InsertDeleteConflict', 'The insert or delete operation attempted resulted in a conflict.');
      }
    }
    for (const map of [this.cells, this.formats] as Map<string, unknown>[]) {
      const entries = [...map.entries()].map(([k, v]) => [k.split(',').map(Number) as [number, number], v] as const);
      const next = new Map<string, unknown>();
      for (const [[r, c], v] of entries) {
        if (drop?.(r, c)) continue;
        if (where(r, c)) next.set(key(r + dr, c + dc), v);
        else next.set(key(r, c), v);
      }
      map.clear();
      for (const [k, v] of next) map.set(k, v);
    }
  }
}

export class FakeTable {
  constructor(
    readonly id: string,
    public name: string,
    public sheet: FakeSheet,
    public row: number,
    public col: number,
    /** Including the header row. */
    public rows: number,
    public cols: number,
  ) {}
  /** A filter hides some rows: Excel then refuses to insert or delete table rows. */
  filtered = false;
}

/** Parses a written value as Excel parses typed input. */
function parse(value: unknown): Stored | undefined {
  if (value === '' || value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = String(value);
  if (text.startsWith("'")) return text.slice(1);
  if (text.startsWith('=')) return { formula: text };
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function bytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

export class FakeExcel {
  sheets: FakeSheet[] = [new FakeSheet('sheet-1', 'Sheet1')];
  tables: FakeTable[] = [];
  settings = new Map<string, unknown>();
  definedNames: string[] = [];
  syncs: SyncRecord[] = [];
  autofits = 0;
  /** The cost office-js #3013 is about: rows appended through `table.rows.add`, against rows written as plain ranges. */
  rowsAddedThroughTable = 0;
  rowsWrittenAsRange = 0;
  /** Syncs refused with InvalidOperationInCellEditMode (the batch's queue stays unsent, as in Excel). */
  refusedForCellEdit = 0;
  /** office.js's request payload limit; the web's is 5 MB. */
  payloadLimit = 5 * 1024 * 1024;
  /**
   * How an oversized request fails: desktop says RequestPayloadSizeLimitExceeded; Excel on the web
   * often answers a bare GeneralException "An internal error has occurred." (office-js #1012, #1314).
   */
  payloadError: 'RequestPayloadSizeLimitExceeded' | 'GeneralException' = 'RequestPayloadSizeLimitExceeded';
  /**
   * False for benchmarks: tables, syncs and payloads behave as ever, but written cells are not kept
   * (a 100,000-row table as Map entries makes the heap, and its garbage collection, the fake's).
   */
  retainCells = true;
  private nextId = 1;
  /** The analyst is typing in a cell: Excel refuses batches, or holds those run with `delayForCellEdit`. */
  private editing: { ended: Promise<void>; end: () => void } | null = null;

  /** `Excel.run(batch)`: no options, so a batch that reaches Excel during a cell edit is refused. */
  readonly run = (async (batch: (context: FakeContext) => Promise<unknown>) =>
    batch(new FakeContext(this, false))) as unknown as ExcelRun;

  /** office.js's `Excel` with both forms of `run`, `Excel.run(batch)` and `Excel.run(options, batch)`. */
  readonly api = {
    run: (async (first: unknown, second?: unknown) => {
      const options = typeof first === 'function' ? {} : (first as { delayForCellEdit?: boolean });
      const batch = (typeof first === 'function' ? first : second) as (context: FakeContext) => Promise<unknown>;
      return batch(new FakeContext(this, options.delayForCellEdit === true));
    }) as unknown as ExcelApi['run'],
  };

  startCellEdit(): void {
    let end = () => undefined as void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.editing = { ended, end };
  }

  endCellEdit(): void {
    this.editing?.end();
    this.editing = null;
  }

  /** When a cell is being edited, the promise of its end. */
  get cellEdit(): Promise<void> | null {
    return this.editing?.ended ?? null;
  }

  newId(prefix: string): string {
    return `${prefix}-${++this.nextId}`;
  }

  sheetById(id: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.id === id);
  }

  tableById(id: string): FakeTable | undefined {
    return this.tables.find((t) => t.id === id || t.name.toLowerCase() === id.toLowerCase());
  }

  /** Header and body of a table as stored (what the analyst sees). */
  tableValues(idOrName: string): (Stored | null)[][] {
    const t = this.tableById(idOrName);
    if (!t) throw new Error(`no table ${idOrName}`);
    return Array.from({ length: t.rows }, (_, r) =>
      Array.from({ length: t.cols }, (_, c) => t.sheet.get(t.row + r, t.col + c) ?? null),
    );
  }

  /** Number formats of a table's body, per cell ("General" where none was set). */
  tableFormats(idOrName: string): string[][] {
    const t = this.tableById(idOrName)!;
    return Array.from({ length: t.rows - 1 }, (_, r) =>
      Array.from({ length: t.cols }, (_, c) => t.sheet.formats.get(key(t.row + 1 + r, t.col + c)) ?? 'General'),
    );
  }

  /** What the analyst does by hand: type into a cell, or drag a table elsewhere. */
  setCell(sheet: FakeSheet, r: number, c: number, value: Stored): void {
    sheet.cells.set(key(r, c), value);
  }

  moveTable(idOrName: string, row: number, col: number): void {
    const t = this.tableById(idOrName)!;
    const inside = (r: number, c: number) => r >= t.row && r < t.row + t.rows && c >= t.col && c < t.col + t.cols;
    t.sheet.shift(inside, row - t.row, col - t.col);
    t.row = row;
    t.col = col;
  }

  /** What the analyst does by hand: a filter on one column of a table. */
  filterTable(idOrName: string): void {
    this.tableById(idOrName)!.filtered = true;
  }

  /** What the analyst does by hand: a calculated column typed right of a table, which Excel takes into the table. */
  addCalculatedColumn(idOrName: string, name: string, formula: string): void {
    const t = this.tableById(idOrName)!;
    const at = t.col + t.cols;
    t.sheet.shift((r, c) => c >= at && r >= t.row && r < t.row + t.rows, 0, 1);
    t.cols += 1;
    t.sheet.cells.set(key(t.row, at), name);
    for (let r = 1; r < t.rows; r++) t.sheet.cells.set(key(t.row + r, at), { formula });
  }

  /**
   * Table ids as another copy of the file can have them: Excel promises ids unique only in a given
   * workbook, so the bound id finds nothing (or another table) while names stay.
   */
  reissueTableIds(): void {
    for (const t of this.tables) (t as { id: string }).id = this.newId('table');
  }

  /** Every string stored anywhere in the workbook: cells, settings, names. */
  everythingStored(): string {
    const parts: unknown[] = [...this.settings.entries(), this.definedNames];
    for (const s of this.sheets) parts.push(s.name, [...s.cells.values()], [...s.formats.values()]);
    for (const t of this.tables) parts.push(t.name);
    return JSON.stringify(parts);
  }
}

interface Op {
  /** Request bytes; a function for values, serialized at sync as office.js does, not when set. */
  payload: number | (() => number);
  label?: string;
  run: () => void;
}

/** One `Excel.run` batch. */
class FakeContext {
  private queue: Op[] = [];
  private suspendedCalculation = false;
  private suspendedScreen = false;
  readonly workbook: FakeWorkbook;
  readonly application = {
    suspendApiCalculationUntilNextSync: () => {
      this.suspendedCalculation = true;
    },
    suspendScreenUpdatingUntilNextSync: () => {
      this.suspendedScreen = true;
    },
  };

  constructor(
    readonly excel: FakeExcel,
    private readonly delayForCellEdit: boolean,
  ) {
    this.workbook = new FakeWorkbook(this);
  }

  enqueue(op: Op): void {
    this.queue.push(op);
  }

  async sync(): Promise<void> {
    const edit = this.excel.cellEdit;
    if (edit && this.delayForCellEdit) await edit;
    else if (edit) {
      this.excel.refusedForCellEdit++;
      throw new ExcelError('InvalidOperationInCellEditMode', 'This operation is not allowed while Excel is in cell-editing mode.');
    }
    const ops = this.queue;
    this.queue = [];
    const record: SyncRecord = {
      payload: ops.reduce((sum, op) => sum + (typeof op.payload === 'number' ? op.payload : op.payload()), 0),
      ok: false,
      suspendedCalculation: this.suspendedCalculation,
      suspendedScreen: this.suspendedScreen,
      ops: ops.flatMap((op) => (op.label ? [op.label] : [])),
    };
    this.suspendedCalculation = false;
    this.suspendedScreen = false;
    this.excel.syncs.push(record);
    if (record.payload > this.excel.payloadLimit) {
      throw this.excel.payloadError === 'GeneralException'
        ? new ExcelError('GeneralException', 'An internal error has occurred.')
        : new ExcelError('RequestPayloadSizeLimitExceeded', 'The request payload size has exceeded the limit.');
    }
    for (const op of ops) op.run();
    record.ok = true;
  }
}

/** Properties readable only after a `load()` and a `sync()`, as in office.js. */
class Loadable {
  private loaded = new Map<string, unknown>();
  constructor(protected readonly ctx: FakeContext) {}

  protected snapshot(): Record<string, unknown> {
    return {};
  }

  load(props?: string | string[]): this {
    const wanted = props === undefined ? null : (Array.isArray(props) ? props : props.split(',')).map((p) => p.trim());
    this.ctx.enqueue({
      payload: 0,
      run: () => {
        const all = this.snapshot();
        for (const [name, value] of Object.entries(all)) {
          if (!wanted || wanted.includes(name) || name === 'isNullObject') this.loaded.set(name, value);
        }
      },
    });
    return this;
  }

  /** `getItemOrNullObject` results answer `isNullObject` after a sync without a load. */
  trackNull(): this {
    this.ctx.enqueue({ payload: 0, run: () => this.loaded.set('isNullObject', this.snapshot().isNullObject) });
    return this;
  }

  protected read<T>(name: string): T {
    if (!this.loaded.has(name)) throw new ExcelError('PropertyNotLoaded', `${name} was not loaded and synced`);
    return this.loaded.get(name) as T;
  }
}

class FakeWorkbook {
  readonly tables: FakeTableCollection;
  readonly worksheets: FakeWorksheetCollection;
  readonly names: FakeNameCollection;
  readonly settings: FakeSettings;
  constructor(ctx: FakeContext) {
    this.tables = new FakeTableCollection(ctx);
    this.worksheets = new FakeWorksheetCollection(ctx);
    this.names = new FakeNameCollection(ctx);
    this.settings = new FakeSettings(ctx);
  }
}

class FakeTableCollection extends Loadable {
  protected override snapshot() {
    return { items: this.ctx.excel.tables.map((t) => ({ id: t.id, name: t.name })) };
  }
  get items(): { id: string; name: string }[] {
    return this.read('items');
  }
  override load(_props?: string | string[]): this {
    return super.load('items');
  }
  getItem(id: string): FakeTableProxy {
    return new FakeTableProxy(this.ctx, () => {
      const t = this.ctx.excel.tableById(id);
      if (!t) throw new ExcelError('ItemNotFound', `no table ${id}`);
      return t;
    });
  }
  getItemOrNullObject(id: string): FakeTableProxy {
    return new FakeTableProxy(this.ctx, () => this.ctx.excel.tableById(id) ?? null).trackNull();
  }
}

class FakeNameCollection extends Loadable {
  protected override snapshot() {
    return { items: this.ctx.excel.definedNames.map((name) => ({ name })) };
  }
  get items(): { name: string }[] {
    return this.read('items');
  }
  override load(_props?: string | string[]): this {
    return super.load('items');
  }
}

class FakeWorksheetCollection extends Loadable {
  protected override snapshot() {
    return { items: this.ctx.excel.sheets.map((s) => ({ id: s.id, name: s.name })) };
  }
  get items(): { id: string; name: string }[] {
    return this.read('items');
  }
  override load(_props?: string | string[]): this {
    return super.load('items');
  }
  add(name: string): FakeWorksheetProxy {
    let created: FakeSheet | null = null;
    this.ctx.enqueue({
      payload: bytes(name),
      run: () => {
        if (name.length > 31 || /[[\]:*?/\\]/.test(name)) throw new ExcelError('InvalidArgument', `bad sheet name ${name}`);
        if (this.ctx.excel.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
          throw new ExcelError('ItemAlreadyExists', `sheet ${name} exists`);
        }
        created = new FakeSheet(this.ctx.excel.newId('sheet'), name);
        this.ctx.excel.sheets.push(created);
      },
    });
    return new FakeWorksheetProxy(this.ctx, () => created);
  }
  getItemOrNullObject(id: string): FakeWorksheetProxy {
    return new FakeWorksheetProxy(this.ctx, () => this.ctx.excel.sheetById(id) ?? null).trackNull();
  }
  getItem(id: string): FakeWorksheetProxy {
    return new FakeWorksheetProxy(this.ctx, () => {
      const sheet = this.ctx.excel.sheetById(id);
      if (!sheet) throw new ExcelError('ItemNotFound', `no sheet ${id}`);
      return sheet;
    });
  }
}

class FakeWorksheetProxy extends Loadable {
  readonly tables: { add: (range: FakeRange, hasHeaders: boolean) => FakeTableProxy };

  constructor(
    ctx: FakeContext,
    private readonly resolve: () => FakeSheet | null,
  ) {
    super(ctx);
    this.tables = { add: (range, hasHeaders) => this.addTable(range, hasHeaders) };
  }

  protected override snapshot() {
    const s = this.resolve();
    return { isNullObject: !s, id: s?.id, name: s?.name };
  }
  get id(): string {
    return this.read('id');
  }
  get isNullObject(): boolean {
    return this.read('isNullObject');
  }

  activate(): void {
    this.ctx.enqueue({ payload: 0, run: () => undefined });
  }

  delete(): void {
    this.ctx.enqueue({
      payload: 0,
      run: () => {
        const s = this.must();
        this.ctx.excel.sheets = this.ctx.excel.sheets.filter((x) => x !== s);
        this.ctx.excel.tables = this.ctx.excel.tables.filter((t) => t.sheet !== s);
      },
    });
  }

  getRangeByIndexes(row: number, col: number, rows: number, cols: number): FakeRange {
    return new FakeRange(this.ctx, () => ({ sheet: this.must(), row, col, rows, cols }));
  }

  private addTable(range: FakeRange, hasHeaders: boolean): FakeTableProxy {
    let table: FakeTable | null = null;
    this.ctx.enqueue({
      payload: 0,
      label: 'tables.add',
      run: () => {
        if (!hasHeaders) throw new ExcelError('NotImplemented', 'fake supports tables with headers only');
        const r = range.rect();
        const excel = this.ctx.excel;
        // As in Excel: a header-only range gets one empty body row.
        table = new FakeTable(excel.newId('table'), `Table${excel.tables.length + 1}`, r.sheet, r.row, r.col, Math.max(r.rows, 2), r.cols);
        excel.tables.push(table);
      },
    });
    return new FakeTableProxy(this.ctx, () => table);
  }

  private must(): FakeSheet {
    const s = this.resolve();
    if (!s) throw new ExcelError('ItemNotFound', 'no such worksheet');
    return s;
  }
}

class FakeTableProxy extends Loadable {
  readonly rows: { add: (index: number | undefined, values: unknown[][]) => void };
  readonly columns: { add: (index?: number) => void; getItemAt: (i: number) => { delete: () => void } };
  readonly autoFilter: FakeAutoFilter;

  constructor(
    ctx: FakeContext,
    private readonly resolve: () => FakeTable | null,
  ) {
    super(ctx);
    this.rows = { add: (index, values) => this.addRows(index, values) };
    this.columns = { add: (index) => this.addColumn(index), getItemAt: (i) => ({ delete: () => this.deleteColumn(i) }) };
    this.autoFilter = new FakeAutoFilter(ctx, () => this.must());
  }

  protected override snapshot() {
    const t = this.resolve();
    return { isNullObject: !t, id: t?.id, name: t?.name };
  }
  get id(): string {
    return this.read('id');
  }
  get name(): string {
    return this.read('name');
  }
  set name(value: string) {
    this.ctx.enqueue({
      payload: bytes(value),
      run: () => {
        const t = this.must();
        const clash = this.ctx.excel.tables.some((o) => o !== t && o.name.toLowerCase() === value.toLowerCase());
        if (clash || !/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(value)) throw new ExcelError('InvalidArgument', `bad table name ${value}`);
        t.name = value;
      },
    });
  }
  get isNullObject(): boolean {
    return this.read('isNullObject');
  }

  getRange(): FakeRange {
    return new FakeRange(this.ctx, () => {
      const t = this.must();
      return { sheet: t.sheet, row: t.row, col: t.col, rows: t.rows, cols: t.cols };
    });
  }
  getHeaderRowRange(): FakeRange {
    return new FakeRange(this.ctx, () => {
      const t = this.must();
      return { sheet: t.sheet, row: t.row, col: t.col, rows: 1, cols: t.cols };
    });
  }
  getDataBodyRange(): FakeRange {
    return new FakeRange(this.ctx, () => {
      const t = this.must();
      return { sheet: t.sheet, row: t.row + 1, col: t.col, rows: t.rows - 1, cols: t.cols };
    });
  }

  private addRows(index: number | undefined, values: unknown[][]): void {
    this.ctx.enqueue({
      payload: () => bytes(values),
      label: `rows.add ${values.length}x${values[0]?.length ?? 0}`,
      run: () => {
        if (index !== undefined && index !== null) throw new ExcelError('NotImplemented', 'fake appends rows at the end only');
        const t = this.must();
        if (t.filtered) throw new ExcelError('InsertDeleteConflict', 'The insert or delete operation attempted resulted in a conflict.');
        this.ctx.excel.rowsAddedThroughTable += values.length;
        if (values.some((row) => row.length !== t.cols)) throw new ExcelError('InvalidArgument', 'row width differs from the table');
        const at = t.row + t.rows;
        // Excel pushes down what is below the table, within the table's columns.
        t.sheet.shift((r, c) => r >= at && c >= t.col && c < t.col + t.cols, values.length, 0);
        if (this.ctx.excel.retainCells) values.forEach((row, i) => row.forEach((v, c) => setCell(t.sheet, at + i, t.col + c, v)));
        t.rows += values.length;
      },
    });
  }

  private addColumn(index?: number): void {
    this.ctx.enqueue({
      payload: 0,
      run: () => {
        const t = this.must();
        const at = t.col + (index ?? t.cols);
        if (at > t.col + t.cols) throw new ExcelError('InvalidArgument', 'column index out of range');
        t.sheet.shift((r, c) => c >= at && r >= t.row && r < t.row + t.rows, 0, 1);
        t.cols += 1;
        t.sheet.cells.set(key(t.row, at), `Column${t.cols}`);
      },
    });
  }

  private deleteColumn(i: number): void {
    this.ctx.enqueue({
      payload: 0,
      run: () => {
        const t = this.must();
        if (i >= t.cols) throw new ExcelError('InvalidArgument', 'no such column');
        const at = t.col + i;
        const inRows = (r: number) => r >= t.row && r < t.row + t.rows;
        t.sheet.shift((r, c) => c > at && inRows(r), 0, -1, (r, c) => c === at && inRows(r));
        t.cols -= 1;
      },
    });
  }

  private must(): FakeTable {
    const t = this.resolve();
    if (!t) throw new ExcelError('ItemNotFound', 'no such table');
    return t;
  }
}

function setCell(sheet: FakeSheet, r: number, c: number, value: unknown): void {
  const stored = parse(value);
  if (stored === undefined) sheet.cells.delete(key(r, c));
  else sheet.cells.set(key(r, c), stored);
}

class FakeRange extends Loadable {
  readonly format: { autofitColumns: () => void };

  constructor(
    ctx: FakeContext,
    readonly rect: () => Rect,
  ) {
    super(ctx);
    this.format = {
      autofitColumns: () =>
        this.ctx.enqueue({
          payload: 0,
          run: () => {
            this.rect();
            this.ctx.excel.autofits++;
          },
        }),
    };
  }

  protected override snapshot() {
    const r = this.rect();
    const formulas = Array.from({ length: r.rows }, (_, i) =>
      Array.from({ length: r.cols }, (_, j) => {
        const v = r.sheet.get(r.row + i, r.col + j);
        return v === undefined ? '' : typeof v === 'object' ? v.formula : v;
      }),
    );
    return { rowCount: r.rows, columnCount: r.cols, rowIndex: r.row, columnIndex: r.col, formulas };
  }
  get formulas(): unknown[][] {
    return this.read('formulas');
  }

  getRow(row: number): FakeRange {
    return new FakeRange(this.ctx, () => ({ ...this.rect(), row: this.rect().row + row, rows: 1 }));
  }

  getColumn(col: number): FakeRange {
    return new FakeRange(this.ctx, () => ({ ...this.rect(), col: this.rect().col + col, cols: 1 }));
  }
  get rowCount(): number {
    return this.read('rowCount');
  }
  get columnCount(): number {
    return this.read('columnCount');
  }

  set values(values: unknown[][]) {
    this.write('values', values, (sheet, r, c, v) => setCell(sheet, r, c, v), () => (this.ctx.excel.rowsWrittenAsRange += values.length));
  }
  set numberFormat(formats: unknown[][]) {
    this.write('numberFormat', formats, (sheet, r, c, v) => sheet.formats.set(key(r, c), String(v)));
  }

  getCell(row: number, col: number): FakeRange {
    return new FakeRange(this.ctx, () => {
      const r = this.rect();
      return { ...r, row: r.row + row, col: r.col + col, rows: 1, cols: 1 };
    });
  }

  getResizedRange(deltaRows: number, deltaCols: number): FakeRange {
    return new FakeRange(this.ctx, () => {
      const r = this.rect();
      const resized = { ...r, rows: r.rows + deltaRows, cols: r.cols + deltaCols };
      if (resized.rows < 1 || resized.cols < 1) throw new ExcelError('InvalidArgument', 'empty range');
      return resized;
    });
  }

  /** Only what the adapter needs: whole body rows of a table, shifted up. */
  delete(shift: string): void {
    this.ctx.enqueue({
      payload: 0,
      run: () => {
        const r = this.rect();
        const t = this.ctx.excel.tables.find(
          (x) => x.sheet === r.sheet && x.col === r.col && x.cols === r.cols && r.row > x.row && r.row + r.rows <= x.row + x.rows,
        );
        if (shift !== 'Up' || !t) throw new ExcelError('NotImplemented', 'fake deletes whole table body rows only');
        if (t.filtered) throw new ExcelError('InsertDeleteConflict', 'The insert or delete operation attempted resulted in a conflict.');
        if (r.rows >= t.rows - 1) throw new ExcelError('InvalidOperation', 'a table keeps at least one body row');
        const within = (c: number) => c >= r.col && c < r.col + r.cols;
        r.sheet.shift((row, c) => row >= r.row + r.rows && within(c), -r.rows, 0, (row, c) => row >= r.row && row < r.row + r.rows && within(c));
        t.rows -= r.rows;
      },
    });
  }

  clear(_what: string): void {
    this.ctx.enqueue({
      payload: 0,
      run: () => {
        const r = this.rect();
        for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) r.sheet.cells.delete(key(r.row + i, r.col + j));
      },
    });
  }

  private write(name: string, values: unknown[][], put: (sheet: FakeSheet, r: number, c: number, v: unknown) => void, count?: () => void): void {
    this.ctx.enqueue({
      payload: () => bytes(values),
      label: `${name} ${values.length}x${values[0]?.length ?? 0}`,
      run: () => {
        count?.();
        const r = this.rect();
        if (values.length !== r.rows || values.some((row) => row.length !== r.cols)) {
          throw new ExcelError('InvalidArgument', `${name}: ${values.length} rows for a ${r.rows}x${r.cols} range`);
        }
        if (this.ctx.excel.retainCells) values.forEach((row, i) => row.forEach((v, j) => put(r.sheet, r.row + i, r.col + j, v)));
      },
    });
  }
}

class FakeAutoFilter extends Loadable {
  constructor(
    ctx: FakeContext,
    private readonly table: () => FakeTable,
  ) {
    super(ctx);
  }
  protected override snapshot() {
    return { enabled: true, isDataFiltered: this.table().filtered };
  }
  get isDataFiltered(): boolean {
    return this.read('isDataFiltered');
  }
}

class FakeSettings {
  constructor(private readonly ctx: FakeContext) {}
  add(name: string, value: unknown): void {
    this.ctx.enqueue({ payload: bytes(value), run: () => this.ctx.excel.settings.set(name, value) });
  }
  getItemOrNullObject(name: string): FakeSetting {
    return new FakeSetting(this.ctx, name).trackNull();
  }
}

class FakeSetting extends Loadable {
  constructor(
    ctx: FakeContext,
    private readonly name: string,
  ) {
    super(ctx);
  }
  protected override snapshot() {
    const has = this.ctx.excel.settings.has(this.name);
    return { isNullObject: !has, value: this.ctx.excel.settings.get(this.name) };
  }
  get isNullObject(): boolean {
    return this.read('isNullObject');
  }
  get value(): unknown {
    return this.read('value');
  }
}
