import type { Store, StoredRow } from '../../connector/store/types';

/** Every stored row of a table in key order, through the store's own paging (either adapter). */
export async function allRows(store: Store, tableId: string, keyField: string): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  let after: string | number | undefined;
  for (;;) {
    const page = await store.rows.page(tableId, { keyField, after, limit: 10_000, scope: null });
    rows.push(...page.rows);
    if (!page.more) return rows;
    after = page.rows[page.rows.length - 1][keyField] as string | number;
  }
}
