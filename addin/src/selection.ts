import type { Binding } from './bindings';
import type { ColumnChoice } from './column-choice';
import type { ConnectorClient, PageOptions } from './connector';

// What a pull asks the connector for besides the format: the chosen columns as `fields=`, so a pull
// carries only what the sheet shows, and the binding's filter as `filter[FIELD]=`.

/** "Only rows where FIELD is VALUE", as the pane offers it: one field. */
export interface RowFilter {
  field: string;
  value: string;
}

type Selection = Pick<PageOptions, 'fields' | 'filters'>;

export function insertSelection(chosen: ColumnChoice, filter: RowFilter | null): Selection {
  return { ...(chosen && { fields: chosen }), ...(filter && { filters: { [filter.field]: filter.value } }) };
}

/**
 * The same for a refresh. The connector refuses `fields=` naming a column it no longer sends (a
 * setting cleared, a field removed), which would fail the whole refresh; so the chosen columns are
 * first narrowed to those it sends now (one single-row request), and the refresh goes on without
 * the others, reported as before. A filter on a column gone is refused, and the table is kept.
 */
export async function refreshSelection(client: ConnectorClient, binding: Binding, signal?: AbortSignal): Promise<Selection> {
  const filter = binding.filter ?? null;
  if (!binding.columns) return insertSelection(null, filter);
  const sent = new Set((await client.page(binding.table, binding.format, null, { limit: 1, signal })).columns.map((c) => c.name));
  const available = binding.columns.filter((name) => sent.has(name));
  // None left: pull every column, so the layout can say that none of the chosen ones came.
  return insertSelection(available.length ? available : null, filter);
}
