import type { Organization, SecurityRepository, User } from '../../../connector/store/types';
import { DEMO_ORGANIZATIONS } from '../../../connector/demo/organizations';

/** A stored user with nothing granted, changed by `overrides`. */
export function userWith(overrides: Partial<User> = {}): User {
  return {
    id: 'u1',
    username: 'u1',
    email: 'u1@example.com',
    name: 'U',
    surname: 'One',
    description: '',
    kind: 'portal',
    roles: ['member'],
    organizations: [],
    teams: [],
    active: true,
    allowedIps: [],
    settings: { warehouse: '', priceCustomer: '' },
    grants: {},
    apiAuthorized: true,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The organizations a viewer's scope is worked out against: the demo's. */
export function organizationsOnly(organizations: readonly Organization[] = DEMO_ORGANIZATIONS): readonly Organization[] {
  return organizations;
}

/** A customers row the import accepts: every required field, one delivery address. */
export function customerRow(code: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Code: code,
    Name: `Customer ${code}`,
    'Sales Rep': '01 - John Smith',
    'Credit Limit': 1000,
    Created: '2024-05-31',
    Active: true,
    'Delivery Addresses': [{ 'Address Id': `${code}-1`, City: 'Paris', Default: true }],
    organization: 'org-contoso',
    ...extra,
  };
}
