import type { RowRepository } from '../store/types';
import type { TableDefinition } from './definition';
import type { LookupValues } from './projection';
import type { Viewer } from './scope';

/**
 * Resolves a definition's viewer lookups once per request. A blank setting leaves its lookup out,
 * so the fields derived from it are absent; a setting naming a missing row resolves to null.
 */
export async function resolveLookups(definition: TableDefinition, viewer: Viewer, rows: RowRepository): Promise<LookupValues> {
  const values = new Map<string, unknown>();
  for (const [name, lookup] of Object.entries(definition.lookups ?? {})) {
    const setting = viewer.settings[lookup.setting];
    if (setting === '') continue;
    if (lookup.table === undefined || lookup.field === undefined) {
      values.set(name, setting);
    } else {
      values.set(name, (await rows.get(lookup.table, setting))?.[lookup.field] ?? null);
    }
  }
  return values;
}
