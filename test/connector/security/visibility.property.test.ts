import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importRows } from '../../../connector/tables/import';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';

// Property: for random organizations (providers and their clients), teams, users (roles, grants,
// settings) and rows, every row and field a caller receives through /v1 — every route, format and
// page — is one the model below says it may see, and every one it may see arrives exactly once.
//
// The model is written from the contract alone: it reads the table declarations (JSON data) but
// none of the connector's scope, projection or paging code.

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

const FORMATS = ['none', 'basic', 'standard', 'detail', 'expanded'] as const;
type Format = (typeof FORMATS)[number];
const DATA_FORMATS = FORMATS.slice(1) as Exclude<Format, 'none'>[];
const rank = (format: Format) => FORMATS.indexOf(format);

interface DeclaredField {
  name: string;
  type: string;
  format?: Format;
  hidden?: boolean;
  fields?: DeclaredField[];
  from?: { lookup: string; pick?: { from: string; match: string; take: string } };
}
interface DeclaredTable {
  id: string;
  key: string;
  scope: { by: 'organization' | 'team' | 'warehouse' | 'none'; field?: string };
  fields: DeclaredField[];
  lookups?: Record<string, { setting: 'warehouse' | 'priceCustomer'; table?: string; field?: string }>;
}

const DEFINITIONS_DIR = resolve(import.meta.dirname, '../../../connector/tables/definitions');
const DECLARED: DeclaredTable[] = readdirSync(DEFINITIONS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(join(DEFINITIONS_DIR, name), 'utf8')));
const declared = (id: string) => DECLARED.find((table) => table.id === id) as DeclaredTable;

interface ModelOrg {
  id: string;
  kind: 'provider' | 'client';
  parent: string | null;
}
interface ModelUser {
  roles: string[];
  organizations: string[];
  teams: string[];
  settings: { warehouse: string; priceCustomer: string };
  grants: Record<string, Format>;
}
type Row = Record<string, unknown>;

const isSystemAdmin = (user: ModelUser) => user.roles.includes('system-admin');

function grantOf(user: ModelUser, table: string): Format {
  return isSystemAdmin(user) ? 'expanded' : (user.grants[table] ?? 'none');
}

/** The user's organizations, plus the clients of each provider among them. */
function seenOrganizations(user: ModelUser, orgs: ModelOrg[]): Set<string> {
  const own = new Set(user.organizations);
  const seen = new Set(own);
  for (const org of orgs) {
    const parent = orgs.find((candidate) => candidate.id === org.parent);
    if (org.kind === 'client' && parent?.kind === 'provider' && own.has(parent.id)) seen.add(org.id);
  }
  return seen;
}

function maySee(user: ModelUser, orgs: ModelOrg[], table: DeclaredTable, row: Row): boolean {
  if (isSystemAdmin(user)) return true;
  const owner = table.scope.field ? row[table.scope.field] : undefined;
  switch (table.scope.by) {
    case 'none':
      return true;
    case 'organization':
      return seenOrganizations(user, orgs).has(owner as string);
    case 'team':
      return user.teams.includes(owner as string);
    case 'warehouse':
      return user.settings.warehouse !== '' && owner === user.settings.warehouse;
  }
}

function split(display: string) {
  const at = display.indexOf(' - ');
  return { Code: (at < 0 ? display : display.slice(0, at)).trim(), DisplayAs: display };
}

/** The per-viewer value behind a lookup, or `absent` when the viewer's setting is blank. */
function lookupValue(table: DeclaredTable, name: string, user: ModelUser, rows: Record<string, Row[]>, key: (t: string) => string) {
  const lookup = table.lookups?.[name];
  const setting = lookup ? user.settings[lookup.setting] : '';
  if (!lookup || setting === '') return { absent: true as const };
  if (!lookup.table || !lookup.field) return { absent: false as const, value: setting };
  const source = rows[lookup.table].find((row) => String(row[key(lookup.table!)]) === setting);
  return { absent: false as const, value: source?.[lookup.field] ?? null };
}

interface ModelColumn {
  name: string;
  type: string;
  columns?: ModelColumn[];
}

function fieldsAt(fields: DeclaredField[], format: Exclude<Format, 'none'>, inherited?: Format): DeclaredField[] {
  return fields.filter((field) => !field.hidden && rank(field.format ?? inherited ?? 'basic') <= rank(format));
}

function columnOf(field: DeclaredField, format: Exclude<Format, 'none'>, inherited?: Format): ModelColumn {
  if (field.type === 'table') {
    const own = field.format ?? inherited;
    return { name: field.name, type: 'table', columns: fieldsAt(field.fields ?? [], format, own).map((sub) => columnOf(sub, format, own)) };
  }
  if (field.type === 'coded') return { name: field.name, type: format === 'expanded' ? 'coded' : 'string' };
  return { name: field.name, type: field.type };
}

function valueOf(field: DeclaredField, source: Row, format: Exclude<Format, 'none'>, inherited?: Format): unknown {
  const raw = source[field.name];
  if (field.type === 'table') {
    const own = field.format ?? inherited;
    const subs = fieldsAt(field.fields ?? [], format, own);
    return Array.isArray(raw) ? raw.map((entry: Row) => Object.fromEntries(subs.map((sub) => [sub.name, valueOf(sub, entry ?? {}, format, own)]))) : [];
  }
  if (raw === undefined || raw === null) return null;
  return field.type === 'coded' && format === 'expanded' ? split(String(raw)) : raw;
}

/** What the contract says a viewer gets of a table at a format: columns, and each visible row in key order. */
function expectedPage(world: World, user: ModelUser, tableId: string, format: Exclude<Format, 'none'>) {
  const table = declared(tableId);
  const shown = fieldsAt(table.fields, format).filter((field) => !field.from || !lookupValue(table, field.from.lookup, user, world.rows, world.keyOf).absent);
  const columns = shown.map((field) => columnOf(field, format));
  const project = (row: Row) =>
    Object.fromEntries(
      shown.map((field) => {
        if (!field.from) return [field.name, valueOf(field, row, format)];
        const found = lookupValue(table, field.from.lookup, user, world.rows, world.keyOf);
        const value = found.absent ? null : found.value;
        if (!field.from.pick) return [field.name, value ?? null];
        const { from, match, take } = field.from.pick;
        const entries = row[from];
        const entry = value === null || !Array.isArray(entries) ? undefined : entries.find((e: Row) => e?.[match] === value);
        return [field.name, (entry as Row | undefined)?.[take] ?? null];
      }),
    );
  const rows = world.rows[tableId]
    .filter((row) => maySee(user, world.orgs, table, row))
    .sort((a, b) => compareKey(a[table.key], b[table.key]))
    .map(project);
  return { columns, rows };
}

function compareKey(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Random worlds
// ---------------------------------------------------------------------------------------------

interface WorldSpec {
  providers: number;
  clients: Array<number | null>;
  teams: number;
  users: Array<{
    role: 'member' | 'portal-admin' | 'system-admin';
    orgs: number[];
    teams: number[];
    warehouse: string;
    priceCustomer: number | 'blank' | 'missing';
    grants: Format[];
    limit: number;
  }>;
  customers: Array<{ code: string; org: number; rep: string | null; priceList: string | null; addresses: number; alerts: string[] }>;
  products: Array<{ code: string; category: string | null; prices: Array<[string, number]> }>;
  stock: Array<{ id: string; warehouse: string; onHand: number; movements: number }>;
  campaigns: Array<{ id: number; team: number; channel: string | null; activities: number }>;
}

interface World {
  orgs: ModelOrg[];
  teams: string[];
  rows: Record<string, Row[]>;
  keyOf: (table: string) => string;
}

const CODED = fc.constantFrom<string | null>('01 - John Smith', '02 - Maria Lopez - North', 'NOCODE', ' 7 - padded', '', null);
const WAREHOUSES = ['MAIN', 'EAST', 'WEST'];
const PRICE_LISTS = ['PL-A', 'PL-B', 'PL-C'];
const KEY_TEXT = fc.stringMatching(/^[A-Za-z0-9._-]{1,5}$/).filter((key) => key !== '.' && key !== '..');

const worldSpec: fc.Arbitrary<WorldSpec> = fc
  .record({ providers: fc.integer({ min: 1, max: 2 }), clientCount: fc.integer({ min: 0, max: 3 }), teams: fc.integer({ min: 0, max: 3 }) })
  .chain(({ providers, clientCount, teams }) => {
    const orgCount = providers + clientCount;
    const orgIndex = fc.integer({ min: 0, max: orgCount - 1 });
    return fc.record({
      providers: fc.constant(providers),
      clients: fc.array(fc.option(fc.integer({ min: 0, max: providers - 1 }), { nil: null }), { minLength: clientCount, maxLength: clientCount }),
      teams: fc.constant(teams),
      users: fc.array(
        fc.record({
          role: fc.constantFrom('member', 'member', 'member', 'portal-admin', 'system-admin'),
          orgs: fc.uniqueArray(orgIndex, { maxLength: 2 }),
          teams: teams === 0 ? fc.constant([]) : fc.uniqueArray(fc.integer({ min: 0, max: teams - 1 }), { maxLength: 2 }),
          warehouse: fc.constantFrom('', 'MAIN', 'EAST', 'NOWHERE'),
          priceCustomer: fc.oneof(fc.constant<'blank'>('blank'), fc.constant<'missing'>('missing'), fc.nat(20)),
          grants: fc.array(fc.constantFrom(...FORMATS), { minLength: 4, maxLength: 4 }),
          limit: fc.integer({ min: 1, max: 4 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      customers: fc.uniqueArray(
        fc.record({
          code: KEY_TEXT,
          org: orgIndex,
          rep: CODED,
          priceList: fc.option(fc.constantFrom(...PRICE_LISTS), { nil: null }),
          addresses: fc.nat(2),
          alerts: fc.array(CODED.map((value) => value ?? 'X'), { maxLength: 2 }),
        }),
        { maxLength: 8, selector: (row) => row.code },
      ),
      products: fc.uniqueArray(
        fc.record({
          code: KEY_TEXT,
          category: CODED,
          prices: fc.uniqueArray(fc.tuple(fc.constantFrom(...PRICE_LISTS), fc.integer({ min: 1, max: 999 })), { maxLength: 3, selector: (p) => p[0] }),
        }),
        { maxLength: 6, selector: (row) => row.code },
      ),
      stock: fc.uniqueArray(
        fc.record({ id: KEY_TEXT, warehouse: fc.constantFrom(...WAREHOUSES), onHand: fc.integer({ min: 0, max: 500 }), movements: fc.nat(2) }),
        { maxLength: 8, selector: (row) => row.id },
      ),
      campaigns:
        teams === 0
          ? fc.constant([])
          : fc.uniqueArray(
              fc.record({ id: fc.integer({ min: 1, max: 200 }), team: fc.integer({ min: 0, max: teams - 1 }), channel: CODED, activities: fc.nat(2) }),
              { maxLength: 8, selector: (row) => row.id },
            ),
    });
  });

/** Builds the world through the connector's own services (as an admin would), and the model's copy of it. */
async function materialize(ctx: TestContext, spec: WorldSpec): Promise<{ world: World; users: Array<{ model: ModelUser; caller: TestUser; limit: number }> }> {
  const orgs: ModelOrg[] = [];
  for (let i = 0; i < spec.providers; i++) {
    const org = await ctx.createOrganization(`Provider ${i}`, 'provider');
    orgs.push({ id: org.id, kind: 'provider', parent: null });
  }
  for (const [i, parent] of spec.clients.entries()) {
    const org = await ctx.createOrganization(`Client ${i}`, 'client', parent === null ? undefined : orgs[parent].id);
    orgs.push({ id: org.id, kind: 'client', parent: org.parent });
  }
  const teams: string[] = [];
  for (let i = 0; i < spec.teams; i++) teams.push((await ctx.createTeam(`Team ${i}`)).id);

  const rows: Record<string, Row[]> = {
    customers: spec.customers.map((c, i) => ({
      Code: c.code,
      Name: `Customer ${i}`,
      'Sales Rep': c.rep,
      City: i % 2 ? 'Lyon' : null,
      'Price List': c.priceList,
      'Credit Limit': i * 100,
      Active: i % 3 !== 0,
      Created: '2024-02-29',
      'Delivery Addresses': Array.from({ length: c.addresses }, (_, n) => ({ 'Address Id': `A${n}`, Street: `${n} Main St`, Default: n === 0 })),
      Alerts: c.alerts.map((type, n) => ({ Raised: '2024-01-0' + (n + 1), Type: type, Message: `alert ${n}` })),
      organization: orgs[c.org].id,
    })),
    products: spec.products.map((p, i) => ({
      Code: p.code,
      Description: `Product ${i}`,
      Category: p.category,
      Weight: i + 0.5,
      Prices: p.prices.map(([list, price]) => ({ 'Price List': list, Price: price })),
    })),
    'stock-levels': spec.stock.map((s, i) => ({
      Id: s.id,
      Product: `P${i} - Widget`,
      Warehouse: s.warehouse,
      'On Hand': s.onHand,
      Bin: `B${i}`,
      Movements: Array.from({ length: s.movements }, (_, n) => ({ Date: '2024-03-01', Type: n ? 'IN - Receipt' : 'OUT - Issue', Quantity: n + 1 })),
    })),
    campaigns: spec.campaigns.map((c, i) => ({
      Id: c.id,
      Name: `Campaign ${i}`,
      Status: i % 2 ? 'Active' : 'Planned',
      Channel: c.channel,
      Budget: 1000 + i,
      Activities: Array.from({ length: c.activities }, (_, n) => ({ Date: '2024-04-01', Activity: `step ${n}`, Done: n % 2 === 0 })),
      team: teams[c.team],
    })),
  };
  for (const [table, tableRows] of Object.entries(rows)) {
    await importRows(ctx.services.store, ctx.services.tables.get(table)!, structuredClone(tableRows));
  }

  const tableIds = ['customers', 'products', 'stock-levels', 'campaigns'];
  const users = [];
  for (const spec_ of spec.users) {
    const priceCustomer =
      spec_.priceCustomer === 'blank' ? '' : spec_.priceCustomer === 'missing' ? 'NO-SUCH-CUSTOMER' : (spec.customers[spec_.priceCustomer % Math.max(1, spec.customers.length)]?.code ?? '');
    const model: ModelUser = {
      roles: [spec_.role],
      organizations: spec_.orgs.map((i) => orgs[i].id),
      teams: spec_.teams.map((i) => teams[i]),
      settings: { warehouse: spec_.warehouse, priceCustomer },
      grants: Object.fromEntries(tableIds.map((id, i) => [id, spec_.grants[i]])),
    };
    const caller = await ctx.createUser({
      roles: model.roles as never,
      organizations: model.organizations,
      teams: model.teams,
      settings: model.settings,
      grants: model.grants,
    });
    users.push({ model, caller, limit: spec_.limit });
  }
  const keys: Record<string, string> = Object.fromEntries(DECLARED.map((table) => [table.id, table.key]));
  return { world: { orgs, teams, rows, keyOf: (table) => keys[table] }, users };
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

async function getJson(ctx: TestContext, caller: TestUser, path: string): Promise<{ status: number; body: any }> {
  const response = await ctx.request('GET', path, { headers: caller.headers });
  return { status: response.status, body: await response.json() };
}

/** Follows nextCursor to the end; checks every page's columns and that no page but a sole one is empty. */
async function allPages(ctx: TestContext, caller: TestUser, table: string, format: string | null, limit: number) {
  const rows: unknown[] = [];
  const columnSets: unknown[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams({ limit: String(limit) });
    if (format) query.set('format', format);
    if (cursor) query.set('cursor', cursor);
    const { status, body } = await getJson(ctx, caller, `/v1/tables/${table}?${query}`);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.rows.length).toBeLessThanOrEqual(limit);
    if (body.nextCursor !== null) expect(body.rows.length).toBe(limit);
    rows.push(...body.rows);
    columnSets.push(body.columns);
    cursor = body.nextCursor;
    pages++;
    expect(pages).toBeLessThanOrEqual(50);
  } while (cursor !== null);
  return { rows, columnSets, pages };
}

async function checkUser(ctx: TestContext, world: World, model: ModelUser, caller: TestUser, limit: number) {
  // /v1/me: the caller's own organizations and teams, nothing else.
  const me = await getJson(ctx, caller, '/v1/me');
  expect(me.status).toBe(200);
  expect(me.body.organizations.map((o: { id: string }) => o.id).sort()).toEqual([...model.organizations].sort());
  expect(me.body.teams.map((t: { id: string }) => t.id).sort()).toEqual([...model.teams].sort());

  // /v1/tables: exactly the tables granted above none, with their formats.
  const list = await getJson(ctx, caller, '/v1/tables');
  const expectedList = DECLARED.filter((table) => grantOf(model, table.id) !== 'none').map((table) => ({
    id: table.id,
    maxFormat: grantOf(model, table.id),
    formats: DATA_FORMATS.filter((format) => rank(format) <= rank(grantOf(model, table.id))),
  }));
  expect(list.body.tables.map((t: any) => ({ id: t.id, maxFormat: t.maxFormat, formats: t.formats })).sort((a: any, b: any) => a.id.localeCompare(b.id))).toEqual(
    expectedList.sort((a, b) => a.id.localeCompare(b.id)),
  );

  for (const table of DECLARED) {
    const grant = grantOf(model, table.id);
    for (const format of DATA_FORMATS) {
      if (grant === 'none' || rank(format) > rank(grant)) {
        const refused = await getJson(ctx, caller, `/v1/tables/${table.id}?format=${format}`);
        expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 403, code: grant === 'none' ? 'no_access' : 'tier_not_granted' });
        continue;
      }
      const expected = expectedPage(world, model, table.id, format);
      const got = await allPages(ctx, caller, table.id, format, limit);
      for (const columns of got.columnSets) expect(columns).toEqual(expected.columns);
      // Same rows, same order, same fields and values: nothing unseen, nothing missing, nothing twice.
      expect(got.rows).toEqual(expected.rows);
    }
    if (grant !== 'none') {
      // No format = basic.
      const plain = await allPages(ctx, caller, table.id, null, 1000);
      expect(plain.rows).toEqual(expectedPage(world, model, table.id, 'basic').rows);
    }

    // One row by key: a visible row in full at the highest granted format; any other is 404, word for word as a missing one.
    const format = grant === 'none' ? 'basic' : grant;
    const expected = grant === 'none' ? null : expectedPage(world, model, table.id, format);
    const missing = await getJson(ctx, caller, `/v1/tables/${table.id}/rows/NO-SUCH-KEY?format=${format}`);
    for (const row of world.rows[table.id]) {
      const key = String(row[table.key]);
      const got = await getJson(ctx, caller, `/v1/tables/${table.id}/rows/${encodeURIComponent(key)}?format=${format}`);
      if (grant === 'none') {
        expect({ status: got.status, code: got.body.error?.code }).toEqual({ status: 403, code: 'no_access' });
      } else if (maySee(model, world.orgs, table, row)) {
        expect(got.status).toBe(200);
        expect(got.body.columns).toEqual(expected!.columns);
        const index = world.rows[table.id].filter((r) => maySee(model, world.orgs, table, r)).sort((a, b) => compareKey(a[table.key], b[table.key])).indexOf(row);
        expect(got.body.row).toEqual(expected!.rows[index]);
      } else {
        expect(got.status).toBe(404);
        expect(got.body).toEqual({ error: { code: 'not_found', message: missing.body.error.message.replace('NO-SUCH-KEY', key) } });
      }
    }
  }
}

describe('row and field visibility (property-based)', () => {
  it('gives every caller exactly the rows and fields the model allows, across every route, format and page', async () => {
    await fc.assert(
      fc.asyncProperty(worldSpec, async (spec) => {
        const ctx = await createTestContext({ rateLimit: { requests: 1_000_000, windowSeconds: 60 } });
        try {
          const { world, users } = await materialize(ctx, spec);
          for (const { model, caller, limit } of users) await checkUser(ctx, world, model, caller, limit);
        } finally {
          await ctx.close();
        }
      }),
      { numRuns: Number(process.env.VISIBILITY_RUNS ?? 30) },
    );
  }, 60_000);
});
