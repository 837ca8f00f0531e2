import type { Store } from '../store/types';
import type { TableCatalog } from '../tables/catalog';
import { DEMO_ORGANIZATIONS, DEMO_TEAMS } from './organizations';
import { demoRows } from './rows';

/**
 * Puts the demo organizations, teams and table rows into a store. Organizations and teams that
 * already exist (by id) are kept; each demo table's rows are replaced wholesale.
 */
export async function seedDemoData(store: Store, catalog: TableCatalog): Promise<void> {
  await store.security.transaction(async (tx) => {
    const organizations = new Set((await tx.listOrganizations()).map((org) => org.id));
    for (const org of DEMO_ORGANIZATIONS) if (!organizations.has(org.id)) await tx.insertOrganization({ ...org });
    const teams = new Set((await tx.listTeams()).map((team) => team.id));
    for (const team of DEMO_TEAMS) if (!teams.has(team.id)) await tx.insertTeam({ ...team });
  });
  for (const definition of catalog.list()) {
    const rows = demoRows(definition.id);
    if (rows.length > 0) await store.rows.replaceAll(definition.id, definition.key, rows);
  }
}
