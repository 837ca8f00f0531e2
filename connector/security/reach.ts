import { formatRank, type Format } from '../contract';
import type { Organization, RowRepository, SecurityReads, User, UserSettings } from '../store/types';
import type { TableCatalog } from '../tables/catalog';
import { grantFor } from '../tables/grants';
import { rowFilter, viewerFor, type Viewer } from '../tables/scope';

// A user's reach is what their credentials could read: the rows they see (organizations with a
// provider's clients, teams, settings) and, per table, the highest format. The portal-admin rules
// of the contract are all one question asked of it: does what a user holds, or is about to be
// given, lie inside what the admin holds itself? Every admin route and CLI command asks it here.

export interface Reach extends Viewer {
  /** The highest format per table (`expanded` everywhere for a system admin). */
  grant(tableId: string): Format;
}

/** What a user holds directly: what an admin hands out, and what "within" compares. */
export type Holdings = Pick<User, 'organizations' | 'teams' | 'grants' | 'settings'>;

/** What a reach check reads beyond the two users: table definitions and the rows settings name. */
export interface ReachContext {
  security: SecurityReads;
  tables: TableCatalog;
  rows: RowRepository;
}

/** The first thing held beyond a reach, in a sentence that names it. */
export interface Overreach {
  /** A row-naming setting answers like a missing row (400), so that it cannot probe for rows. */
  status: 'forbidden' | 'invalid_request';
  message: string;
}

/** The user's reach, given every organization (to find a provider's clients). */
export function reachOf(user: User, organizations: readonly Organization[]): Reach {
  return { ...viewerFor(user, organizations), grant: (tableId) => grantFor(user, tableId) };
}

/**
 * Names the first thing in `holdings` that lies outside `reach`, or returns null when all of it is
 * inside: every organization one the reach covers, every team one of its teams, every grant at most
 * its grant on that table, a setting that names a row (a price customer) blank or a row the reach
 * reads, any other setting (a warehouse) blank or the reach's own.
 */
export async function overreach(holdings: Holdings, reach: Reach, context: ReachContext): Promise<Overreach | null> {
  if (reach.seesEverything) return null;
  const forbidden = (what: string): Overreach => ({ status: 'forbidden', message: `You may not hand out ${what}.` });
  for (const id of holdings.organizations) {
    if (!reach.organizations.has(id)) return forbidden(`the organization "${id}", which you do not administer`);
  }
  for (const id of holdings.teams) {
    if (!reach.teams.has(id)) return forbidden(`the team "${id}", which you are not in`);
  }
  for (const [tableId, format] of Object.entries(holdings.grants)) {
    const own = reach.grant(tableId);
    if (formatRank(format) > formatRank(own)) {
      return forbidden(`the grant "${format}" on ${tableId}, above your own ("${own}")`);
    }
  }
  for (const setting of Object.keys(holdings.settings) as (keyof UserSettings)[]) {
    const value = (holdings.settings[setting] ?? '').trim();
    if (value === '') continue;
    const tableId = settingTable(context.tables, setting);
    if (tableId === undefined) {
      if (value !== reach.settings[setting]) return forbidden(`the ${setting} "${value}", which is not your own`);
    } else if (!(await readsRow(reach, context, tableId, value))) {
      const title = context.tables.get(tableId)?.title ?? tableId;
      return { status: 'invalid_request', message: `Field "${setting}": no row "${value}" in ${title} that you can see.` };
    }
  }
  return null;
}

export async function isWithin(holdings: Holdings, reach: Reach, context: ReachContext): Promise<boolean> {
  return (await overreach(holdings, reach, context)) === null;
}

/** The table whose rows a setting names (a price customer names a customer), if any. */
function settingTable(tables: TableCatalog, setting: keyof UserSettings): string | undefined {
  for (const definition of tables.list()) {
    for (const lookup of Object.values(definition.lookups ?? {})) {
      if (lookup.setting === setting && lookup.table !== undefined) return lookup.table;
    }
  }
  return undefined;
}

async function readsRow(reach: Reach, context: ReachContext, tableId: string, key: string): Promise<boolean> {
  const definition = context.tables.get(tableId);
  if (!definition || reach.grant(tableId) === 'none') return false;
  const row = await context.rows.get(tableId, key);
  if (!row) return false;
  const visible = rowFilter(definition, reach);
  return visible === null || visible(row);
}
