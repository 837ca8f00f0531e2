import type { Services } from '../deps';
import { ApiError, forbidden } from '../errors';
import { auditEntryOf, type Actor } from '../security/actor';
import { isSystemAdmin } from '../security/principal';
import type { TableDefinition } from './definition';
import { importRows } from './import';

// Table data as admins change it (the admin routes and `sheetgate import`): system admins only,
// each change audited with it.

export async function importTableRows(services: Services, actor: Actor, tableId: string, rows: unknown): Promise<number> {
  const definition = tableForAdmin(services, actor, tableId);
  return importRows(services.store, definition, rows, (count) => auditEntryOf(actor, `table.rows.upsert ${count}`, definition.id, services.now()));
}

export async function deleteTableRow(services: Services, actor: Actor, tableId: string, key: string): Promise<void> {
  const definition = tableForAdmin(services, actor, tableId);
  const audit = auditEntryOf(actor, 'table.rows.delete', `${definition.id}/${key}`, services.now());
  if (!(await services.store.rows.remove(definition.id, key, audit))) {
    throw new ApiError('not_found', `Table "${definition.id}" has no row with key "${key}".`);
  }
}

function tableForAdmin(services: Services, actor: Actor, id: string): TableDefinition {
  if (!isSystemAdmin(actor.principal)) throw forbidden('Only system admins may manage table data.');
  const definition = services.tables.get(id);
  if (!definition) throw new ApiError('not_found', `There is no table "${id}".`);
  return definition;
}
