import { PaneError } from '../errors';
import type { Cell, GridColumn } from '../shape';
import { tableNameFor } from './names';
import { TABLE_MISSING, type TableRef, type TableTarget, type TableWriter, type Workbook } from './port';

/**
 * The Workbook port outside Office: each table is an HTML <table> in the pane (caption = table
 * name, a header row of column names, one row per record), so the pane works in a plain browser.
 */
export class PreviewWorkbook implements Workbook {
  readonly kind = 'preview' as const;
  private nextId = 1;

  constructor(private readonly container: HTMLElement) {}

  async create(title: string, columns: GridColumn[]): Promise<TableWriter> {
    const taken = this.tables().map((t) => captionOf(t));
    const table = this.container.ownerDocument.createElement('table');
    table.dataset.tableId = `preview-${this.nextId++}`;
    table.createCaption().textContent = tableNameFor(title, taken);
    setHeader(table, columns);
    table.createTBody();
    // Each table scrolls sideways on its own: a wide table never widens the pane.
    const frame = this.container.ownerDocument.createElement('div');
    frame.className = 'preview-frame';
    frame.append(table);
    this.container.append(frame);
    this.container.hidden = false;
    const body = table.tBodies[0]!;
    return {
      append: async (rows) => appendRows(body, rows),
      finish: async () => refOf(table),
      abort: async () => frame.remove(),
    };
  }

  async replace(target: TableTarget, columns: GridColumn[]): Promise<TableWriter> {
    const table = this.find(target);
    if (!table) throw new PaneError('table_missing', TABLE_MISSING);
    // Built aside and swapped in at the end, so a pull that fails midway leaves the old rows.
    const body = table.ownerDocument.createElement('tbody');
    return {
      append: async (rows) => appendRows(body, rows),
      finish: async () => {
        setHeader(table, columns);
        table.tBodies[0]?.replaceWith(body);
        return refOf(table);
      },
      abort: async () => undefined,
    };
  }

  async locate(targets: TableTarget[]): Promise<(TableRef | null)[]> {
    return targets.map((target) => {
      const table = this.find(target);
      return table ? refOf(table) : null;
    });
  }

  private tables(): HTMLTableElement[] {
    return [...this.container.querySelectorAll<HTMLTableElement>('table[data-table-id]')];
  }

  private find({ id, name }: TableTarget): HTMLTableElement | undefined {
    const tables = this.tables();
    return tables.find((t) => t.dataset.tableId === id) ?? (name ? tables.find((t) => captionOf(t) === name) : undefined);
  }
}

function setHeader(table: HTMLTableElement, columns: GridColumn[]): void {
  table.tHead?.remove();
  const row = table.createTHead().insertRow();
  for (const column of columns) {
    const th = row.ownerDocument.createElement('th');
    th.scope = 'col';
    th.textContent = column.name;
    row.append(th);
  }
}

function appendRows(body: HTMLTableSectionElement, rows: Cell[][]): void {
  for (const cells of rows) {
    const row = body.insertRow();
    for (const cell of cells) row.insertCell().textContent = cell === null ? '' : String(cell);
  }
}

function captionOf(table: HTMLTableElement): string {
  return table.caption?.textContent ?? '';
}

function refOf(table: HTMLTableElement): TableRef {
  return { id: table.dataset.tableId!, name: captionOf(table), width: table.tHead?.rows[0]?.cells.length ?? 0 };
}
