import { PaneError } from '../errors';
import type { Cell, GridColumn } from '../shape';
import { tableNameFor } from './names';
import { TABLE_MISSING, type TableRef, type TableWriter, type Workbook } from './port';

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
    this.container.append(table);
    this.container.hidden = false;
    const body = table.tBodies[0]!;
    return {
      append: async (rows) => appendRows(body, rows),
      finish: async () => refOf(table),
      abort: async () => table.remove(),
    };
  }

  async replace(id: string, columns: GridColumn[]): Promise<TableWriter> {
    const table = this.find(id);
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

  async names(ids: string[]): Promise<Map<string, string>> {
    const found = ids.map((id) => [id, this.find(id)] as const);
    return new Map(found.filter(([, t]) => t).map(([id, t]) => [id, captionOf(t!)]));
  }

  private tables(): HTMLTableElement[] {
    return [...this.container.querySelectorAll<HTMLTableElement>('table[data-table-id]')];
  }

  private find(id: string): HTMLTableElement | undefined {
    return this.tables().find((t) => t.dataset.tableId === id);
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
  return { id: table.dataset.tableId!, name: captionOf(table) };
}
