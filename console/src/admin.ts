import { FORMATS, ROLES, type Format, type Role } from '../../connector/contract';
import { ConsoleError, type AdminClient, type Team, type User } from './client';

// Who signed in, and so what the console offers: a portal admin is offered only what the admin
// routes would let it do, so it is never shown a control that can only be refused.

export interface Admin {
  /** The username, or a description of the admin key. */
  name: string;
  /** The admin's user id; null for the global admin key. */
  id: string | null;
  /** A system admin, or the global admin key: not bounded by a reach of its own. */
  unbounded: boolean;
  /** Teams it may hand out; null = any. */
  teams: string[] | null;
  /** The connector's address as analysts paste it into Excel. */
  endpoint: string;
}

export const FORMAT_LABELS: Record<Format, string> = {
  none: 'No access',
  basic: 'Basic',
  standard: 'Standard',
  detail: 'Detail',
  expanded: 'Expanded',
};

export const ROLE_LABELS: Record<Role, string> = {
  'system-admin': 'System admin',
  'portal-admin': 'Portal admin',
  member: 'Member',
};

/** The tables whose rows the two data-setting pickers offer (see the contract's table list). */
export const WAREHOUSE_SOURCE = { table: 'stock-levels', field: 'Warehouse' } as const;
export const CUSTOMER_SOURCE = { table: 'customers', code: 'Code', name: 'Name' } as const;

export async function whoSignedIn(client: AdminClient, origin: string): Promise<Admin> {
  const me = await client.me();
  if (!me) return { name: 'the global admin key', id: null, unbounded: true, teams: null, endpoint: origin };
  const roles = me.user.roles;
  if (!roles.includes('system-admin') && !roles.includes('portal-admin')) {
    throw new ConsoleError('forbidden', `${me.user.username} is not an administrator: sign in with a system or portal admin's token and key.`, 403);
  }
  const unbounded = roles.includes('system-admin');
  return {
    name: me.user.username,
    id: me.user.id,
    unbounded,
    teams: unbounded ? null : me.teams.map((team) => team.id),
    endpoint: me.endpoint || origin,
  };
}

/** Roles the admin may give: a portal admin manages members only (it never manages another admin). */
export function offeredRoles(admin: Admin): Role[] {
  return admin.unbounded ? [...ROLES] : ['member'];
}

export function offeredTeams(admin: Admin, teams: readonly Team[]): Team[] {
  return admin.teams === null ? [...teams] : teams.filter((team) => admin.teams?.includes(team.id));
}

/**
 * Whether the admin may change this user's access (grants, settings, memberships, IPs, new keys).
 * A portal admin's own access is a system admin's to change; it may still revoke its own credential.
 */
export function mayChangeAccess(admin: Admin, user: Pick<User, 'id'>): boolean {
  return admin.unbounded || user.id !== admin.id;
}

export interface GrantableTable {
  id: string;
  title: string;
  /** From `none` up to the highest the admin may give. */
  formats: Format[];
}

/**
 * One select per table: the admin key and a system admin may give every format; a portal admin up
 * to its own grant, and a table it cannot read is not offered at all.
 */
export async function grantableTables(client: AdminClient): Promise<GrantableTable[]> {
  if (client.signIn.kind === 'admin-key') {
    return (await client.tableDefinitions()).map((table) => ({ id: table.id, title: table.title, formats: [...FORMATS] }));
  }
  return (await client.ownTables()).map((table) => ({ id: table.id, title: table.title, formats: ['none', ...table.formats] }));
}

export interface PickerChoices {
  warehouses: string[];
  customers: { code: string; name: string }[];
}

/**
 * What the `Stock warehouse` and `Prices for customer` pickers offer: the warehouses and customers
 * the admin can read itself, which are exactly the ones the routes let it give. The admin key reads
 * no data, so it gets free text only.
 */
export async function pickerChoices(client: AdminClient, readable: readonly GrantableTable[]): Promise<PickerChoices> {
  if (client.signIn.kind === 'admin-key') return { warehouses: [], customers: [] };
  const can = (id: string) => readable.some((table) => table.id === id);
  const [stock, customers] = await Promise.all([
    can(WAREHOUSE_SOURCE.table) ? allRows(client, WAREHOUSE_SOURCE.table) : [],
    can(CUSTOMER_SOURCE.table) ? allRows(client, CUSTOMER_SOURCE.table) : [],
  ]);
  const warehouses = new Set<string>();
  for (const row of stock) {
    const value = row[WAREHOUSE_SOURCE.field];
    if (typeof value === 'string' && value) warehouses.add(value);
  }
  return {
    warehouses: [...warehouses].sort(),
    customers: customers
      .filter((row) => typeof row[CUSTOMER_SOURCE.code] === 'string')
      .map((row) => ({ code: String(row[CUSTOMER_SOURCE.code]), name: String(row[CUSTOMER_SOURCE.name] ?? '') })),
  };
}

/** Pages through a table at `basic`; a picker is a convenience, so a refusal yields no choices. */
async function allRows(client: AdminClient, table: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  try {
    do {
      const page = await client.ownRows(table, 'basic', cursor);
      rows.push(...page.rows);
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    if (error instanceof ConsoleError && error.status >= 400 && error.status < 500) return rows;
    throw error;
  }
  return rows;
}
