import { withClientOrganizations } from '../security/admin-scope';
import type { SecurityRepository, StoredRow, User, UserSettings } from '../store/types';
import type { TableDefinition } from './definition';

// Which rows a caller sees, exactly as the portal filters them: by organization (a provider's
// members see its clients' rows too), by team, and by the stock warehouse in the user's settings.

export interface Viewer {
  /** System admins see every row of every table. */
  readonly seesEverything: boolean;
  readonly organizations: ReadonlySet<string>;
  readonly teams: ReadonlySet<string>;
  /** Trimmed; blank means "none". */
  readonly settings: Readonly<UserSettings>;
}

export function viewerFor(user: User, security: SecurityRepository): Viewer {
  return {
    seesEverything: user.roles.includes('system-admin'),
    organizations: withClientOrganizations(user.organizations, security.listOrganizations()),
    teams: new Set(user.teams),
    settings: {
      warehouse: (user.settings?.warehouse ?? '').trim(),
      priceCustomer: (user.settings?.priceCustomer ?? '').trim(),
    },
  };
}

/** The predicate a row must pass for this viewer, or null when every row passes. */
export function rowFilter(definition: TableDefinition, viewer: Viewer): ((row: StoredRow) => boolean) | null {
  const { by, field } = definition.scope;
  if (viewer.seesEverything || by === 'none' || !field) return null;
  switch (by) {
    case 'organization':
      return (row) => viewer.organizations.has(row[field] as string);
    case 'team':
      return (row) => viewer.teams.has(row[field] as string);
    case 'warehouse': {
      const warehouse = viewer.settings.warehouse;
      return warehouse === '' ? () => false : (row) => row[field] === warehouse;
    }
  }
}
