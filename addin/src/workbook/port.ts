import type { Cell, GridColumn } from '../shape';

/** The message of PaneError `table_missing`, which callers reword with the table's name. */
export const TABLE_MISSING = 'This table is no longer in the workbook.';

/** A table the pane wrote, as the workbook knows it now (the user may have renamed it). */
export interface TableRef {
  id: string;
  name: string;
  /** Columns the pane wrote, from the left; any to their right are the analyst's own. */
  width: number;
}

/**
 * A bound table as a binding remembers it. Excel promises table ids unique only "in a given
 * workbook", so the name is kept too and used when the id is not found; `width` tells the pane's
 * columns from those the analyst added (absent in older bindings: every column is the pane's).
 */
export interface TableTarget {
  id: string;
  name?: string;
  width?: number;
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
   * Rewrites an existing table in place with these columns, where it stands now: all or nothing,
   * so a table Excel cannot rewrite (filtered, merged cells or a PivotTable in the way) is left as
   * it was, with PaneError `table_busy`. Throws PaneError `table_missing` when the table is gone.
   */
  replace(target: TableTarget, columns: GridColumn[]): Promise<TableWriter>;
  /** Each target as the workbook knows it now (found by id, else by name), or null when it is gone. */
  locate(targets: TableTarget[]): Promise<(TableRef | null)[]>;
}
