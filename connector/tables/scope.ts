import { withClientOrganizations } from '../security/admin-scope';
import type { Organization, RowScopeFilter, StoredRow, User, UserSettings } from '../store/types';
import type { TableDefinition } from './definition';

// Which rows a caller sees, exactly as the portal filters them: by organization (a provider's
// members see its clients' rows too), by team, and by the stock warehouse in the user's settings.
// Declarative (a field and the values it may hold), so a store can run it as a query.

export interface Viewer {
  /** System admins see every row of every table. */
  readonly seesEverything: boolean;
  readonly organizations: ReadonlySet<string>;
  readonly teams: ReadonlySet<string>;
  /** Trimmed; blank means "none". */
  readonly settings: Readonly<UserSettings>;
}

/** The viewer a user is, given every organization (to find a provider's clients). */
export function viewerFor(user: User, organizations: readonly Organization[]): Viewer {
  return {
    seesEverything: user.roles.includes('system-admin'),
    organizations: withClientOrganizations(user.organizations, organizations),
    teams: new Set(user.teams),
    settings: {
      warehouse: (user.settings?.warehouse ?? '').trim(),
      priceCustomer: (user.settings?.priceCustomer ?? '').trim(),
    },
  };
}

/** The rows of a table this viewer may see, as a field and its allowed values; null = every row. */
export function rowScope(definition: TableDefinition, viewer: Viewer): RowScopeFilter | null {
  const { by, field } = definition.scope;
  if (viewer.seesEverything || by === 'none' || !field) return null;
  switch (by) {
    case 'organization':
      return { field, values: viewer.organizations };
    case 'team':
      return { field, values: viewer.teams };
    case 'warehouse':
      // A blank warehouse sees no stock at all, not every warehouse's.
      return { field, values: new Set(viewer.settings.warehouse === '' ? [] : [viewer.settings.warehouse]) };
  }
}

/** The same scope as a predicate over one row, or null when every row passes. */
export function rowFilter(definition: TableDefinition, viewer: Viewer): ((row: StoredRow) => boolean) | null {
  const scope = rowScope(definition, viewer);
  return scope === null ? null : (row) => scope.values.has(row[scope.field] as string);
}
