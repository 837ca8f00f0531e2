import type { Organization, Team } from '../store/types';

// The demo's organizations and teams, with fixed ids so demo rows and demo users can name them.

const CREATED = '2024-01-01T00:00:00.000Z';

const provider = (id: string, name: string): Organization => ({ id, name, kind: 'provider', parent: null, createdAt: CREATED });
const client = (id: string, name: string, parent: string | null): Organization => ({ id, name, kind: 'client', parent, createdAt: CREATED });

export const DEMO_ORGANIZATIONS: readonly Organization[] = [
  provider('org-northwind', 'Northwind Traders'),
  client('org-contoso', 'Contoso Retail', 'org-northwind'),
  client('org-fabrikam', 'Fabrikam Foods', 'org-northwind'),
  client('org-tailspin', 'Tailspin Stores', 'org-northwind'),
  provider('org-adventure', 'Adventure Works Distribution'),
  client('org-litware', 'Litware Markets', 'org-adventure'),
  client('org-proseware', 'Proseware Catering', 'org-adventure'),
  // A client served by no provider in the portal: only its own members see its rows.
  client('org-wingtip', 'Wingtip Toys', null),
];

export const DEMO_TEAMS: readonly Team[] = [
  { id: 'team-retail', name: 'Retail marketing', createdAt: CREATED },
  { id: 'team-wholesale', name: 'Wholesale', createdAt: CREATED },
  { id: 'team-online', name: 'E-commerce', createdAt: CREATED },
  { id: 'team-events', name: 'Events', createdAt: CREATED },
];

export const DEMO_WAREHOUSES = ['MAIN', 'NORTH', 'SOUTH'] as const;
