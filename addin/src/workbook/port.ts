import type { Cell, GridColumn } from '../shape';

/** The message of PaneError `table_missing`, which callers reword with the table's name. */
export const TABLE_MISSING = 'This table is no longer in the workbook.';

/** A table the pane wrote, as the workbook knows it now (the user may have renamed it). */
export interface TableRef {
  id: string;
  name: string;
}

/** Writes one table, block by block, as pages arrive. */
export interface TableWriter {
  /** Appends records after those written so far. */
  append(rows: Cell[][]): Promise<void>;
  /** Drops rows left over from the previous version, applies number formats, fits the columns. */
  finish(): Promise<TableRef>;
  /** Undoes a table this writer created; a replaced table is left as it is. */
  abort(): Promise<void>;
}

/**
 * Where pulled tables go: Excel (office.js) inside Office, an HTML preview in a plain browser.
 * Everything above this port is the same in both.
 */
export interface Workbook {
  readonly kind: 'excel' | 'preview';
  /** A new named table (name derived from `title`, unique in the workbook) for these columns. */
  create(title: string, columns: GridColumn[]): Promise<TableWriter>;
  /**
   * Rewrites an existing table in place with these columns, where it stands now.
   * Throws PaneError `table_missing` when the table was deleted.
   */
  replace(id: string, columns: GridColumn[]): Promise<TableWriter>;
  /** Current names of those tables that still exist; deleted ones are absent from the map. */
  names(ids: string[]): Promise<Map<string, string>>;
}
