import type { User, UserSettings } from '../store/types';

export interface DemoUser
  extends Pick<User, 'username' | 'email' | 'name' | 'surname' | 'description' | 'kind' | 'roles' | 'organizations' | 'teams' | 'grants'> {
  settings: Partial<UserSettings>;
  /** Authorized at seeding; `npm start` prints these pairs once. */
  authorized: boolean;
}

/** Demo users: one of each kind a newcomer will want to try. */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'sam.admin',
    email: 'sam.admin@sheetgate.example',
    name: 'Sam',
    surname: 'Sysadmin',
    description: 'Demo system administrator: sees and manages everything.',
    kind: 'portal',
    roles: ['system-admin'],
    organizations: [],
    teams: [],
    grants: {},
    settings: {},
    authorized: true,
  },
  {
    username: 'ann.analyst',
    email: 'ann@northwind.example',
    name: 'Ann',
    surname: 'Analyst',
    description: 'Demo analyst at a provider: sees Northwind and its clients, MAIN stock, retail and online campaigns, prices of C0001.',
    kind: 'portal',
    roles: ['member'],
    organizations: ['org-northwind'],
    teams: ['team-retail', 'team-online'],
    grants: { customers: 'expanded', products: 'detail', 'stock-levels': 'standard', campaigns: 'standard' },
    settings: { warehouse: 'MAIN', priceCustomer: 'C0001' },
    authorized: true,
  },
  {
    username: 'petra.portal',
    email: 'petra@northwind.example',
    name: 'Petra',
    surname: 'Portal',
    description:
      "Demo portal admin of Northwind: manages Northwind's and its clients' users, within her own reach (every team, MAIN stock, no table above her own grant).",
    kind: 'portal',
    roles: ['portal-admin'],
    organizations: ['org-northwind'],
    teams: ['team-retail', 'team-wholesale', 'team-online'],
    grants: { customers: 'expanded', products: 'detail', 'stock-levels': 'standard', campaigns: 'standard' },
    settings: { warehouse: 'MAIN' },
    authorized: false,
  },
  {
    username: 'carl.client',
    email: 'carl@contoso.example',
    name: 'Carl',
    surname: 'Client',
    description: 'Demo analyst at a client: sees only Contoso customers, basic format.',
    kind: 'portal',
    roles: ['member'],
    organizations: ['org-contoso'],
    teams: ['team-wholesale'],
    grants: { customers: 'basic', products: 'basic', campaigns: 'basic' },
    settings: {},
    authorized: false,
  },
  {
    username: 'feed.bot',
    email: 'feed@adventure.example',
    name: 'Feed',
    surname: 'Bot',
    description: 'Demo API-only user (never signs in to the portal): Adventure Works, NORTH stock.',
    kind: 'api',
    roles: ['member'],
    organizations: ['org-adventure'],
    teams: [],
    grants: { customers: 'standard', 'stock-levels': 'basic' },
    settings: { warehouse: 'NORTH' },
    authorized: false,
  },
];
