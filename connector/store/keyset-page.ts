import { compareKeys } from './key-order';
import type { RowKey, RowPage, StoredRow } from './types';

// A keyset page over rows held in memory in key order (the embedded store; tests of paging).

/**
 * Up to `limit` visible rows after `after`, from rows sorted by `keyField`. It looks one visible
 * row ahead, so the last page says so itself instead of leaving an empty page to fetch.
 */
export function pageOf(
  sorted: readonly StoredRow[],
  keyField: string,
  visible: ((row: StoredRow) => boolean) | null,
  after: RowKey | undefined,
  limit: number,
): RowPage {
  const rows: StoredRow[] = [];
  let index = after === undefined ? 0 : firstAfter(sorted, keyField, after);
  for (; index < sorted.length; index++) {
    const row = sorted[index];
    if (visible && !visible(row)) continue;
    if (rows.length === limit) return { rows, more: true };
    rows.push(row);
  }
  return { rows, more: false };
}

function firstAfter(sorted: readonly StoredRow[], keyField: string, key: RowKey): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareKeys(sorted[middle][keyField], key) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
