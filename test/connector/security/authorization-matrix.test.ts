import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { generateKey, generateToken } from '../../../connector/credentials/key-format';
import { issueCredential, regenerateKey, revokeCredential } from '../../../connector/credentials/lifecycle';
import { addinFiles } from '../../../connector/routes/addin-files';
import { consoleFiles } from '../../../connector/routes/console-files';
import { updateUser } from '../../../connector/security/users';
import type { Organization } from '../../../connector/store/types';
import { createTestContext, type TestContext, type TestUserOptions } from '../../helpers/harness';
import { errorShapeProblems } from '../../helpers/security';
import { CLI_ACTOR } from '../../../connector/security/actor';

// OWASP API1/API3/API5: every route the app serves × every class of caller, one expected cell each.
// The route list comes from `app.routes`: a new route without a row here fails the test.

// Cell codes: status plus a letter for the error code.
const CODES: Record<string, { status: number; code?: string }> = {
  '200': { status: 200 },
  '201': { status: 201 },
  '204': { status: 204 },
  '400Q': { status: 400, code: 'credentials_in_query' },
  '401M': { status: 401, code: 'missing_credentials' },
  '401I': { status: 401, code: 'invalid_credentials' },
  '401R': { status: 401, code: 'credentials_revoked' },
  '401E': { status: 401, code: 'credentials_expired' },
  '403U': { status: 403, code: 'user_inactive' },
  '403P': { status: 403, code: 'ip_not_allowed' },
  '403H': { status: 403, code: 'https_required' },
  '403F': { status: 403, code: 'forbidden' },
  '403N': { status: 403, code: 'no_access' },
  '403T': { status: 403, code: 'tier_not_granted' },
  '404': { status: 404, code: 'not_found' },
};

// Callers (columns):
//   anon      no credentials at all             malformed  sgt_/sgk_ values that fail their checksum
//   unknown   well-formed pair nobody holds     wrongkey   a live token with another well-formed key
//   revoked   a revoked credential              expired    a credential past its validity window
//   regen     the old key after a regenerate    inactive   a deactivated user's live pair
//   ip        from an address outside the user's allowed list
//   http      plain HTTP from another machine   query      a live pair in the query string only
//   (every one of those belongs to a SYSTEM ADMIN, so the refusal is not down to a role)
//   m:none .. m:exp  a member of the client organization with that grant on `customers`
//   api       an API-only user (grant: standard)
//   paP:in / paP:out  portal admin of the provider; target inside (its client) / in another provider
//   paC:in / paC:out  portal admin of the client; target inside (its own org) / in its provider
//   (both portal admins hold customers: standard and warehouse MAIN, so they may hand those out)
//   paP:self   the provider's portal admin acting on itself: profile yes; grants, settings, new or
//              copied keys no (403); revoking one of its own credentials yes
//   paP:shared target in its client AND in another provider (finding: takeover via a shared user)
//   paP:wide   target in its client but holding more: a team the admin is not in, a higher grant
//   paP:pa     target another portal admin of its client
//   sys       a system admin                     key / badkey  the global admin key, right / wrong
const GRID = `
route                                             | anon | malformed | unknown | wrongkey | revoked | expired | regen | inactive | ip   | http | query | m:none | m:basic | m:std | m:detail | m:exp | api  | paP:in | paP:out | paC:in | paC:out | sys | key  | badkey | paP:self | paP:shared | paP:wide | paP:pa
GET /v1/me                                        | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 200    | 200     | 200   | 200      | 200   | 200  | 200    | 200     | 200    | 200     | 200 | 401M | 401M   | 200      | 200        | 200      | 200
GET /v1/tables                                    | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 200    | 200     | 200   | 200      | 200   | 200  | 200    | 200     | 200    | 200     | 200 | 401M | 401M   | 200      | 200        | 200      | 200
GET /v1/tables/:table                             | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403N   | 403T    | 200   | 200      | 200   | 200  | 200    | 200     | 200    | 200     | 200 | 401M | 401M   | 200      | 200        | 200      | 200
GET /v1/tables/:table/rows/:key                   | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403N   | 403T    | 200   | 200      | 200   | 200  | 200    | 200     | 200    | 200     | 200 | 401M | 401M   | 200      | 200        | 200      | 200
POST /admin/users                                 | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 201    | 403F    | 201    | 403F    | 201 | 201  | 401I   | 201      | 403F       | 403F     | 201
GET /admin/users                                  | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 200     | 200    | 200     | 200 | 200  | 401I   | 200      | 200        | 200      | 200
GET /admin/users/:id                              | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 200      | 404        | 404      | 404
PATCH /admin/users/:id                            | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 200      | 404        | 404      | 404
DELETE /admin/users/:id                           | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 204    | 404     | 204    | 404     | 204 | 204  | 401I   | 403F     | 404        | 404      | 404
PUT /admin/users/:id/grants                       | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 403F     | 404        | 404      | 404
PUT /admin/users/:id/settings                     | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 403F     | 404        | 404      | 404
PUT /admin/users/:id/api-access                   | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 403F     | 404        | 404      | 404
GET /admin/users/:id/api-access                   | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 200      | 404        | 404      | 404
POST /admin/users/:id/credentials                 | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 201    | 404     | 201    | 404     | 201 | 201  | 401I   | 403F     | 404        | 404      | 404
GET /admin/users/:id/credentials/:cid/key         | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 403F     | 404        | 404      | 404
POST /admin/users/:id/credentials/:cid/regenerate | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 404     | 200    | 404     | 200 | 200  | 401I   | 403F     | 404        | 404      | 404
DELETE /admin/users/:id/credentials/:cid          | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 204    | 404     | 204    | 404     | 204 | 204  | 401I   | 204      | 404        | 404      | 404
GET /admin/organizations                          | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 200     | 200    | 200     | 200 | 200  | 401I   | 200      | 200        | 200      | 200
POST /admin/organizations                         | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 201    | 403F    | 403F   | 403F    | 201 | 201  | 401I   | 201      | 201        | 201      | 201
GET /admin/teams                                  | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 200    | 200     | 200    | 200     | 200 | 200  | 401I   | 200      | 200        | 200      | 200
POST /admin/teams                                 | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 403F   | 403F    | 403F   | 403F    | 201 | 201  | 401I   | 403F     | 403F       | 403F     | 403F
GET /admin/audit                                  | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 403F   | 403F    | 403F   | 403F    | 200 | 200  | 401I   | 403F     | 403F       | 403F     | 403F
GET /admin/tables                                 | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 403F   | 403F    | 403F   | 403F    | 200 | 200  | 401I   | 403F     | 403F       | 403F     | 403F
POST /admin/tables/:table/rows                    | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 403F   | 403F    | 403F   | 403F    | 200 | 200  | 401I   | 403F     | 403F       | 403F     | 403F
DELETE /admin/tables/:table/rows/:key             | 401M | 401I      | 401I    | 401I     | 401R    | 401E    | 401I  | 403U     | 403P | 403H | 400Q  | 403F   | 403F    | 403F  | 403F     | 403F  | 403F | 403F   | 403F    | 403F   | 403F    | 204 | 204  | 401I   | 403F     | 403F       | 403F     | 403F
`;

/** Public by design: answered without credentials. Everything else must have a row in GRID. */
const PUBLIC_ROUTES = ['GET /healthz', 'GET /readyz', 'GET /openapi.json', 'GET /docs'];

function parseGrid(text: string) {
  const [header, ...lines] = text.trim().split('\n').map((line) => line.split('|').map((cell) => cell.trim()));
  const callers = header.slice(1);
  const rows = new Map<string, Map<string, string>>();
  for (const [route, ...cells] of lines) {
    if (cells.length !== callers.length) throw new Error(`GRID row "${route}" has ${cells.length} cells, not ${callers.length}`);
    for (const cell of cells) if (!CODES[cell]) throw new Error(`GRID row "${route}": unknown cell "${cell}"`);
    rows.set(route, new Map(callers.map((caller, index) => [caller, cells[index]])));
  }
  return { callers, rows };
}

const ADMIN_KEY = 'matrix-global-admin-key-0123456789abcdef';
const REMOTE_IP = '198.51.100.7';
const START = Date.parse('2030-01-01T00:00:00.000Z');

/** How one caller class sends a request. */
interface CallerClass {
  headers: Record<string, string>;
  query?: Record<string, string>;
  /** A fake socket: remote address and whether it used TLS. */
  socket?: { remoteAddress: string; encrypted: boolean };
  /** Where the per-cell target lives: its organization, and the provider new organizations go under. */
  targetOrg: () => Organization;
  parentOrg: () => Organization;
  /** The per-cell target's memberships, roles and grants, beyond `targetOrg` (and what a new user asks for). */
  target?: Pick<TestUserOptions, 'organizations' | 'teams' | 'grants' | 'roles'>;
  /** The caller acts on itself: the target is this user id. */
  self?: string;
}

let ctx: TestContext;
let clock = START;
let orgs: { provider: Organization; client: Organization; other: Organization };
let callers: Record<string, CallerClass>;
let counter = 0;
const VISIBLE_ROW = 'C-IN';

function pair(token: string, key: string) {
  return { [TOKEN_HEADER]: token, [KEY_HEADER]: key };
}

beforeAll(async () => {
  ctx = await createTestContext(
    { adminKey: ADMIN_KEY, rateLimit: { requests: 1_000_000, windowSeconds: 60 } },
    () => new Date(clock),
  );
  const provider = await ctx.createOrganization('Provider', 'provider');
  const client = await ctx.createOrganization('Client', 'client', provider.id);
  const other = await ctx.createOrganization('Other provider', 'provider');
  orgs = { provider, client, other };
  await ctx.services.store.rows.upsert('customers', 'Code', [{ Code: VISIBLE_ROW, Name: 'Inside', organization: client.id }]);

  const sysAdmin = () => ctx.createUser({ roles: ['system-admin'] });
  const sys = await sysAdmin();
  const revoked = await sysAdmin();
  await revokeCredential(ctx.services, CLI_ACTOR, revoked.user.id, revoked.credentialId);
  const expiring = await sysAdmin();
  const expired = await issueCredential(ctx.services, CLI_ACTOR, expiring.user.id, { name: 'short', expiresInSeconds: 60 });
  const regenerated = await sysAdmin();
  await regenerateKey(ctx.services, CLI_ACTOR, regenerated.user.id, regenerated.credentialId);
  const inactive = await sysAdmin();
  await updateUser(ctx.services, CLI_ACTOR, inactive.user.id, { active: false });
  const fenced = await ctx.createUser({ roles: ['system-admin'], allowedIps: ['203.0.113.0/24'] });
  const member = (format: 'none' | 'basic' | 'standard' | 'detail' | 'expanded') =>
    ctx.createUser({ organizations: [client.id], grants: { customers: format } });
  const [mNone, mBasic, mStd, mDetail, mExp] = await Promise.all(
    (['none', 'basic', 'standard', 'detail', 'expanded'] as const).map(member),
  );
  const api = await ctx.createUser({ kind: 'api', organizations: [client.id], grants: { customers: 'standard' } });
  const adminReach = { grants: { customers: 'standard' as const }, settings: { warehouse: 'MAIN' } };
  const providerAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: [provider.id], ...adminReach });
  const clientAdmin = await ctx.createUser({ roles: ['portal-admin'], organizations: [client.id], ...adminReach });
  const teamOfOthers = await ctx.createTeam('Not the admins\' team');
  clock += 3600_000; // the 60-second credential is now expired

  const inside = { targetOrg: () => orgs.client, parentOrg: () => orgs.provider };
  const as = (headers: Record<string, string>, extra: Partial<CallerClass> = {}): CallerClass => ({ headers, ...inside, ...extra });
  callers = {
    anon: as({}),
    malformed: as(pair('sgt_not-a-token', 'sgk_not-a-key')),
    unknown: as(pair(generateToken(), generateKey())),
    wrongkey: as(pair(sys.token, generateKey())),
    revoked: as(revoked.headers),
    expired: as(pair(expired.token, expired.key)),
    regen: as(regenerated.headers),
    inactive: as(inactive.headers),
    ip: as(fenced.headers, { socket: { remoteAddress: REMOTE_IP, encrypted: true } }),
    http: as(sys.headers, { socket: { remoteAddress: REMOTE_IP, encrypted: false } }),
    query: as({}, { query: { 'X-Api-Token': sys.token, 'X-Api-Key': sys.key } }),
    'm:none': as(mNone.headers),
    'm:basic': as(mBasic.headers),
    'm:std': as(mStd.headers),
    'm:detail': as(mDetail.headers),
    'm:exp': as(mExp.headers),
    api: as(api.headers),
    'paP:in': as(providerAdmin.headers),
    'paP:out': as(providerAdmin.headers, { targetOrg: () => orgs.other, parentOrg: () => orgs.other }),
    'paC:in': as(clientAdmin.headers),
    'paC:out': as(clientAdmin.headers, { targetOrg: () => orgs.provider, parentOrg: () => orgs.provider }),
    'paP:self': as(providerAdmin.headers, { self: providerAdmin.user.id }),
    'paP:shared': as(providerAdmin.headers, { target: { organizations: [client.id, other.id] } }),
    'paP:wide': as(providerAdmin.headers, { target: { organizations: [client.id], teams: [teamOfOthers.id], grants: { customers: 'detail' } } }),
    'paP:pa': as(providerAdmin.headers, { target: { organizations: [client.id], roles: ['portal-admin'] } }),
    sys: as(sys.headers),
    key: as({ [ADMIN_KEY_HEADER]: ADMIN_KEY }),
    badkey: as({ [ADMIN_KEY_HEADER]: `${ADMIN_KEY}-wrong` }),
  };
});

afterAll(async () => {
  await ctx?.close();
});

/** A fresh target for one cell, so a cell that deletes or revokes cannot change another cell. */
async function prepare(route: string, caller: CallerClass): Promise<{ path: string; body?: unknown }> {
  const [method, pattern] = route.split(' ');
  const n = ++counter;
  const params: Record<string, string> = { table: 'customers', key: VISIBLE_ROW };
  if (pattern.includes(':id') && caller.self) {
    params.id = caller.self;
    // Revoking must not cut the caller's own pair off for the cells after it: a spare credential.
    const spare = await issueCredential(ctx.services, CLI_ACTOR, caller.self, { name: `spare${n}`, });
    params.cid = spare.id;
  } else if (pattern.includes(':id')) {
    const target = await ctx.createUser({ username: `target${n}`, organizations: [caller.targetOrg().id], ...caller.target });
    params.id = target.user.id;
    params.cid = target.credentialId;
  }
  if (route === 'DELETE /admin/tables/:table/rows/:key') {
    params.key = `DEL-${n}`;
    await ctx.services.store.rows.upsert('customers', 'Code', [{ Code: params.key, Name: 'Doomed', organization: orgs.client.id }]);
  }
  const path = pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name]));
  const bodies: Record<string, unknown> = {
    'POST /admin/users': {
      username: `new${n}`,
      email: `new${n}@example.com`,
      kind: 'portal',
      organizations: caller.target?.organizations ?? [caller.targetOrg().id],
      ...(caller.target?.teams && { teams: caller.target.teams }),
      ...(caller.target?.roles && { roles: caller.target.roles }),
    },
    'PATCH /admin/users/:id': { description: 'changed' },
    'PUT /admin/users/:id/grants': { customers: 'basic' },
    'PUT /admin/users/:id/settings': { warehouse: 'MAIN' },
    'PUT /admin/users/:id/api-access': { authorized: true },
    'POST /admin/users/:id/credentials': { name: `extra${n}` },
    'POST /admin/organizations': { name: `Org ${n}`, kind: 'client', parent: caller.parentOrg().id },
    'POST /admin/teams': { name: `Team ${n}` },
    'POST /admin/tables/:table/rows': { rows: [{ Code: `NEW-${n}`, Name: 'New', organization: orgs.client.id }] },
  };
  const query: Record<string, string> = {
    'GET /v1/tables/:table': 'format=standard&limit=5',
    'GET /v1/tables/:table/rows/:key': 'format=standard',
    'GET /admin/audit': 'limit=5',
  };
  return { path: query[route] ? `${path}?${query[route]}` : path, body: method === 'GET' || method === 'DELETE' ? undefined : bodies[route] ?? {} };
}

async function send(route: string, caller: CallerClass): Promise<Response> {
  const method = route.split(' ')[0];
  const { path, body } = await prepare(route, caller);
  let url = path;
  if (caller.query) url += (url.includes('?') ? '&' : '?') + new URLSearchParams(caller.query).toString();
  const headers: Record<string, string> = { ...caller.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const env = caller.socket ? { incoming: { socket: caller.socket } } : undefined;
  return ctx.app.request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }, env as never);
}

function servedRoutes(): string[] {
  const ids = new Set<string>();
  for (const { method, path } of ctx.app.routes) {
    if (method === 'ALL' || path.includes('*')) continue;
    ids.add(`${method} ${path}`);
  }
  return [...ids];
}

describe('authorization matrix', () => {
  const grid = parseGrid(GRID);

  it('has one row for every route the app serves, and none for a route it does not', () => {
    const staticFiles = new Set([...addinFiles().routes, ...consoleFiles().routes].map((route) => `${route.method} ${route.path}`));
    const served = servedRoutes().filter((id) => !PUBLIC_ROUTES.includes(id) && !staticFiles.has(id));
    expect({ missingRows: served.filter((id) => !grid.rows.has(id)), staleRows: [...grid.rows.keys()].filter((id) => !served.includes(id)) }).toEqual({
      missingRows: [],
      staleRows: [],
    });
    expect(grid.callers.sort()).toEqual(Object.keys(callers).sort());
  });

  it('answers every cell as the grid says: zero unexpected cells', async () => {
    const unexpected: string[] = [];
    let cells = 0;
    for (const [route, row] of grid.rows) {
      for (const [name, cell] of row) {
        cells++;
        const expected = CODES[cell];
        const response = await send(route, callers[name]);
        const text = await response.text();
        let code: string | undefined;
        try {
          code = text ? JSON.parse(text).error?.code : undefined;
        } catch {
          code = '(not JSON)';
        }
        const problems: string[] = [];
        if (response.status !== expected.status || code !== expected.code) problems.push(`got ${response.status} ${code ?? ''}`.trim());
        if (response.status >= 400) problems.push(...errorShapeProblems(text));
        if (response.headers.get('cache-control') !== 'no-store') problems.push(`Cache-Control ${response.headers.get('cache-control')}`);
        if (problems.length > 0) unexpected.push(`${route} × ${name}: expected ${cell}; ${problems.join('; ')}`);
      }
    }
    expect(cells).toBe(grid.rows.size * grid.callers.length);
    expect(unexpected).toEqual([]);
  });
});

describe('public by design', () => {
  it('answers the health check, the API description and the add-in files without credentials', async () => {
    const staticFiles = [...addinFiles().routes, ...consoleFiles().routes].filter((route) => route.method !== 'ALL');
    const publicIds = servedRoutes().filter((id) => !parseGrid(GRID).rows.has(id));
    // Every served route without a row is one of the public ones, nothing else.
    const staticIds = new Set(staticFiles.map((route) => `${route.method} ${route.path}`));
    expect(publicIds.filter((id) => !PUBLIC_ROUTES.includes(id) && !staticIds.has(id))).toEqual([]);

    for (const id of PUBLIC_ROUTES) {
      const response = await ctx.request('GET', id.split(' ')[1]);
      expect(response.status, id).toBe(200);
    }
    expect(await (await ctx.request('GET', '/healthz')).json()).toEqual({ ok: true });
    for (const { path } of staticFiles) {
      const concrete = path.replace('*', 'nothing-here.js');
      const response = await ctx.request('GET', concrete);
      // A file is served (200) or simply absent (404): never a credential question.
      expect([200, 404], concrete).toContain(response.status);
    }
    expect((await ctx.request('GET', '/taskpane.html')).status).toBe(200);
    expect((await ctx.request('GET', '/console')).status).toBe(200);
  });
});
