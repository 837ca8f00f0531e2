import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORMATS, KEY_HEADER, TOKEN_HEADER, type Format } from '../../../connector/contract';
import { importRows } from '../../../connector/tables/import';
import { createTestContext, type TestContext } from '../../helpers/harness';

// Property (contract v1.1, "Portal admins act only inside their own reach"): for random
// organizations, teams, grants and settings, nothing a portal admin can create, change, copy or
// authorize ever reads a row the portal admin cannot read itself. The portal admin tries random
// admin actions through the routes; every token + key pair any answer hands it is then used to read
// every table at every format, and each row it reads must be one the portal admin's own pair reads
// at that format (a refused format must be refused for the pair too).

const TABLES = ['customers', 'products', 'stock-levels', 'campaigns'] as const;
const DATA_FORMATS = FORMATS.slice(1) as Exclude<Format, 'none'>[];
const WAREHOUSES = ['', 'MAIN', 'EAST'];
const CUSTOMERS = ['C0', 'C1', 'C2', 'C3'];

interface Holding {
  orgs: number[];
  teams: number[];
  grants: Format[];
  warehouse: number;
  priceCustomer: number;
}
type Action =
  | { kind: 'create'; orgs: number[]; teams: number[]; portalAdmin: boolean }
  | { kind: 'patch'; target: number; orgs: number[]; teams: number[] }
  | { kind: 'grants'; target: number; table: number; format: Format }
  | { kind: 'settings'; target: number; warehouse: number; priceCustomer: number }
  | { kind: 'authorize' | 'copy' | 'issue' | 'regenerate'; target: number };

const ORGS = 4; // provider 0 with clients 1 and 2; provider 3
const TEAMS = 3;
const orgSet = fc.uniqueArray(fc.integer({ min: 0, max: ORGS - 1 }), { maxLength: 2 });
const teamSet = fc.uniqueArray(fc.integer({ min: 0, max: TEAMS - 1 }), { maxLength: 2 });
const holding: fc.Arbitrary<Holding> = fc.record({
  orgs: orgSet,
  teams: teamSet,
  grants: fc.array(fc.constantFrom(...FORMATS), { minLength: TABLES.length, maxLength: TABLES.length }),
  warehouse: fc.nat(WAREHOUSES.length - 1),
  priceCustomer: fc.nat(CUSTOMERS.length), // CUSTOMERS.length: blank
});
const target = fc.nat(5);
/**
 * Actions for one admin: memberships are drawn mostly from what the admin holds itself (so that
 * actions succeed and pairs really get handed out), sometimes from anything (so that overreach is
 * tried too).
 */
function actionsFor(admin: Holding): fc.Arbitrary<Action[]> {
  const mostlyOwn = (own: number[], all: fc.Arbitrary<number[]>) =>
    own.length === 0 ? all : fc.oneof({ arbitrary: fc.subarray(own, { minLength: 1 }), weight: 3 }, { arbitrary: all, weight: 1 });
  const orgs = mostlyOwn(admin.orgs.length ? admin.orgs : [0], orgSet);
  const teams = mostlyOwn(admin.teams, teamSet);
  const step: fc.Arbitrary<Action> = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('create' as const), orgs, teams, portalAdmin: fc.boolean() }), weight: 3 },
    fc.record({ kind: fc.constant('patch' as const), target, orgs, teams }),
    { arbitrary: fc.record({ kind: fc.constant('grants' as const), target, table: fc.nat(TABLES.length - 1), format: fc.constantFrom(...FORMATS) }), weight: 2 },
    fc.record({ kind: fc.constant('settings' as const), target, warehouse: fc.nat(WAREHOUSES.length - 1), priceCustomer: fc.nat(CUSTOMERS.length) }),
    {
      arbitrary: fc.record({ kind: fc.constantFrom('authorize' as const, 'copy' as const, 'issue' as const, 'regenerate' as const), target }),
      weight: 3,
    },
  );
  // Every run starts by handing out one pair it surely may (a user in its own organization, no
  // teams), so each run has at least one pair to check, whatever the random steps achieve.
  const start: Action[] = [
    { kind: 'create', orgs: [admin.orgs[0] ?? 0], teams: [], portalAdmin: false },
    { kind: 'authorize', target: 0 },
  ];
  return fc.array(step, { minLength: 1, maxLength: 12 }).map((steps) => [...start, ...steps]);
}

type Pair = Record<string, string>;

async function json(response: Response): Promise<any> {
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Keys of every row a pair reads of a table at a format, or null when the format is refused. */
async function readKeys(ctx: TestContext, pair: Pair, table: string, format: string): Promise<string[] | null> {
  const response = await ctx.request('GET', `/v1/tables/${table}?format=${format}&limit=10000`, { headers: pair });
  const body = await json(response);
  if (response.status !== 200) return null;
  const key = table === 'stock-levels' || table === 'campaigns' ? 'Id' : 'Code';
  return body.rows.map((row: Record<string, unknown>) => String(row[key]));
}

async function run(admin: Holding, colleagues: Holding[], actions: Action[]) {
  const ctx = await createTestContext({ rateLimit: { requests: 1_000_000, windowSeconds: 60 } });
  try {
    const p0 = await ctx.createOrganization('P0', 'provider');
    const c1 = await ctx.createOrganization('C1', 'client', p0.id);
    const c2 = await ctx.createOrganization('C2', 'client', p0.id);
    const p3 = await ctx.createOrganization('P3', 'provider');
    const orgs = [p0.id, c1.id, c2.id, p3.id];
    const teams: string[] = [];
    for (let i = 0; i < TEAMS; i++) teams.push((await ctx.createTeam(`T${i}`)).id);
    const rows = {
      customers: CUSTOMERS.map((Code, i) => ({ Code, Name: Code, organization: orgs[i % ORGS], 'Price List': 'PL' })),
      products: [{ Code: 'P1', Description: 'Widget', Prices: [{ 'Price List': 'PL', Price: 3 }] }],
      'stock-levels': WAREHOUSES.filter(Boolean).map((Warehouse, i) => ({ Id: `S${i}`, Product: 'P1', Warehouse, 'On Hand': i })),
      campaigns: teams.map((team, i) => ({ Id: i + 1, Name: `K${i}`, Status: 'Active', team })),
    };
    for (const [table, tableRows] of Object.entries(rows)) await importRows(ctx.services.store, ctx.services.tables.get(table)!, tableRows);

    const make = (h: Holding, roles: ('member' | 'portal-admin')[]) =>
      ctx.createUser({
        roles,
        organizations: h.orgs.map((i) => orgs[i]),
        teams: h.teams.map((i) => teams[i]),
        grants: Object.fromEntries(TABLES.map((table, i) => [table, h.grants[i]])),
        settings: { warehouse: WAREHOUSES[h.warehouse], priceCustomer: CUSTOMERS[h.priceCustomer] ?? '' },
      });
    const portalAdmin = await make({ ...admin, orgs: admin.orgs.length ? admin.orgs : [0] }, ['portal-admin']);
    const known = [portalAdmin.user.id];
    for (const colleague of colleagues) known.push((await make(colleague, ['member'])).user.id);

    const as = (method: string, path: string, body?: unknown) => ctx.request(method, path, { headers: portalAdmin.headers, body });
    const obtained: Pair[] = [];
    const statuses: number[] = [];
    const sent = async (response: Promise<Response>) => {
      const answer = await response;
      statuses.push(answer.status);
      return json(answer);
    };
    const keep = (body: any) => {
      const pair = body?.credential ?? body;
      if (pair?.token && pair?.key) obtained.push({ [TOKEN_HEADER]: pair.token, [KEY_HEADER]: pair.key });
    };
    const firstCredential = async (id: string) => (await json(await as('GET', `/admin/users/${id}/api-access`)))?.credentials?.find((c: any) => !c.revokedAt)?.id;

    for (const step of actions) {
      // Targets are mostly the users made most recently: the ones this run's actions could reach.
      const id = step.kind === 'create' ? '' : known[known.length - 1 - (step.target % known.length)];
      switch (step.kind) {
        case 'create': {
          const body = await json(
            await as('POST', '/admin/users', {
              username: `u${known.length}`,
              email: `u${known.length}@example.com`,
              kind: 'portal',
              roles: [step.portalAdmin ? 'portal-admin' : 'member'],
              organizations: step.orgs.map((i) => orgs[i]),
              teams: step.teams.map((i) => teams[i]),
            }),
          );
          if (body?.id) known.push(body.id);
          break;
        }
        case 'patch':
          await as('PATCH', `/admin/users/${id}`, { organizations: step.orgs.map((i) => orgs[i]), teams: step.teams.map((i) => teams[i]) });
          break;
        case 'grants':
          await as('PUT', `/admin/users/${id}/grants`, { [TABLES[step.table]]: step.format });
          break;
        case 'settings':
          await as('PUT', `/admin/users/${id}/settings`, { warehouse: WAREHOUSES[step.warehouse], priceCustomer: CUSTOMERS[step.priceCustomer] ?? '' });
          break;
        case 'authorize':
          keep(await sent(as('PUT', `/admin/users/${id}/api-access`, { authorized: true })));
          break;
        case 'issue':
          keep(await sent(as('POST', `/admin/users/${id}/credentials`, { name: `n${obtained.length}` })));
          break;
        case 'copy':
        case 'regenerate': {
          const cid = await firstCredential(id);
          if (!cid) break;
          const path = `/admin/users/${id}/credentials/${cid}/${step.kind === 'copy' ? 'key' : 'regenerate'}`;
          keep(await sent(as(step.kind === 'copy' ? 'GET' : 'POST', path)));
          break;
        }
      }
    }

    const over: string[] = [];
    for (const table of TABLES) {
      for (const format of DATA_FORMATS) {
        const own = await readKeys(ctx, portalAdmin.headers, table, format);
        for (const pair of obtained) {
          const got = await readKeys(ctx, pair, table, format);
          if (got === null) continue;
          if (own === null) over.push(`${table}@${format}: the admin is refused, a pair it obtained reads ${got.length} rows`);
          else for (const key of got) if (!own.includes(key)) over.push(`${table}@${format}: row ${key}`);
        }
      }
    }
    return { over, obtained: obtained.length, statuses };
  } finally {
    await ctx.close();
  }
}

describe('a portal admin never hands out more than it reads (property-based)', () => {
  it('every pair it can obtain reads only rows its own pair reads, at formats it holds', async () => {
    let pairs = 0;
    await fc.assert(
      fc.asyncProperty(holding.chain((admin) => fc.tuple(fc.constant(admin), fc.array(holding, { maxLength: 2 }), actionsFor(admin))), async ([admin, colleagues, actions]) => {
        const result = await run(admin, colleagues, actions);
        pairs += result.obtained;
        expect(result.over).toEqual([]);
        // The first two steps always hand out a pair: if not, the statuses say why.
        expect(result.obtained, `statuses of the key-handing answers: ${result.statuses.join(',')}`).toBeGreaterThan(0);
      }),
      { numRuns: Number(process.env.REACH_RUNS ?? 40) },
    );
    // The property must have had something to check: pairs were really handed out.
    expect(pairs).toBeGreaterThan(0);
  }, 120_000);
});
