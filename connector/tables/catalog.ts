import type { TableDefinition } from './definition';
import { definitionError } from './validate-definition';

/** The table definitions the connector serves. */
export interface TableCatalog {
  list(): readonly TableDefinition[];
  get(id: string): TableDefinition | undefined;
}

/**
 * A catalog over already-validated definitions, checking what no single definition can: ids are
 * unique, and every lookup names a table and field that exist.
 */
export function catalogOf(definitions: readonly TableDefinition[]): TableCatalog {
  const byId = new Map<string, TableDefinition>();
  for (const definition of definitions) {
    if (byId.has(definition.id)) throw definitionError(`"${definition.id}"`, 'this table id is defined twice');
    byId.set(definition.id, definition);
  }
  for (const definition of definitions) {
    for (const [name, lookup] of Object.entries(definition.lookups ?? {})) {
      if (lookup.table === undefined) continue;
      const target = byId.get(lookup.table);
      if (!target) throw definitionError(`"${definition.id}"`, `lookup "${name}" names the unknown table "${lookup.table}"`);
      if (!target.fields.some((field) => field.name === lookup.field && field.type !== 'table')) {
        throw definitionError(`"${definition.id}"`, `lookup "${name}": table "${lookup.table}" has no field "${lookup.field}"`);
      }
    }
  }
  const list = Object.freeze([...definitions]);
  return { list: () => list, get: (id) => byId.get(id) };
}
