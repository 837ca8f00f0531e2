import { PaneError } from '../errors';
import { sleep } from '../retry';
import type { ExcelRun } from './excel';

/** What the adapter needs of office.js's `Excel`: `Excel.run`, with and without options. */
export interface ExcelApi {
  run: typeof Excel.run;
}

/** The requirement set that brought `Excel.run({ delayForCellEdit: true }, batch)`. */
export const CELL_EDIT_DELAY_SET = { name: 'ExcelApi', version: '1.11' } as const;

export interface CellEditRetry {
  /** How often a refused batch is tried again on hosts without the delay option. */
  everyMs: number;
  /** Tries before the analyst is told to leave the cell. */
  tries: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Two minutes of editing one cell: longer than that, the analyst hears why nothing happens. */
export const CELL_EDIT_RETRY: CellEditRetry = { everyMs: 1000, tries: 120 };

/**
 * `Excel.run` for the pane. While the analyst edits a cell Excel refuses every batch with
 * `InvalidOperationInCellEditMode`, so a long pull would die half-way. From ExcelApi 1.11,
 * `delayForCellEdit` makes Excel hold the batch until the edit ends. The manifest asks for 1.9 only,
 * so older hosts get the refusal, and the batch is tried again until the edit ends. That is safe
 * because every batch of the adapter writes in its last sync only: a refused batch changed nothing.
 */
export function excelRunner(api: ExcelApi, delaySupported: boolean, retry: CellEditRetry = CELL_EDIT_RETRY): ExcelRun {
  if (delaySupported) return (batch) => api.run({ delayForCellEdit: true }, batch);
  const wait = retry.sleep ?? ((ms: number) => sleep(ms));
  return async (batch) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await api.run(batch);
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== 'InvalidOperationInCellEditMode') throw error;
        if (attempt >= retry.tries) {
          throw new PaneError('cell_editing', 'Excel is busy while a cell is being edited. Press Enter or Esc to leave the cell, then try again.');
        }
        await wait(retry.everyMs);
      }
    }
  };
}
