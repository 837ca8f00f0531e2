import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminClient, ConsoleError } from '../../console/src/client';

const BASE = 'http://connector.test';
const PAIR = { kind: 'pair', token: 'sgt_token', key: 'sgk_secret' } as const;
const server = setupServer();
const requests: Request[] = [];
server.events.on('request:start', ({ request }) => void requests.push(request.clone()));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  requests.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new AdminClient(PAIR, BASE);

async function failure(promise: Promise<unknown>): Promise<ConsoleError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ConsoleError)) throw new Error(`expected a ConsoleError, got ${String(error)}`);
  return error;
}

describe('AdminClient against the admin routes', () => {
  it('sends the pair in headers only, and the listing parameters of the contract', async () => {
    server.use(http.get(`${BASE}/admin/users`, () => HttpResponse.json({ users: [], nextCursor: null })));
    await client().listUsers({ q: 'ann', cursor: 'abc', limit: 50 });
    const [request] = requests;
    const url = new URL(request.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'ann', cursor: 'abc', limit: '50' });
    expect(request.url).not.toContain('sgk_secret');
    expect(request.headers.get('X-Api-Token')).toBe('sgt_token');
    expect(request.headers.get('X-Api-Key')).toBe('sgk_secret');
    expect(request.headers.get('X-Admin-Key')).toBeNull();
  });

  it('leaves out unset and empty parameters (a blank search is no q)', async () => {
    server.use(http.get(`${BASE}/admin/audit`, () => HttpResponse.json({ entries: [], nextCursor: null })));
    await client().audit({ limit: 50, cursor: null, actor: '', action: 'credential.' });
    expect(new URL(requests[0].url).search).toBe('?limit=50&action=credential.');
  });

  it('signs in with the admin key in X-Admin-Key, and reads no /v1 identity for it', async () => {
    server.use(http.get(`${BASE}/admin/users`, () => HttpResponse.json({ users: [], nextCursor: null })));
    const operator = new AdminClient({ kind: 'admin-key', adminKey: 'operator-key' }, BASE);
    expect(await operator.me()).toBeNull();
    await operator.listUsers({ limit: 1 });
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.get('X-Admin-Key')).toBe('operator-key');
    expect(requests[0].headers.get('X-Api-Key')).toBeNull();
  });

  it('sends JSON bodies to the routes the contract names, ids encoded', async () => {
    server.use(
      http.put(`${BASE}/admin/users/:id/api-access`, async ({ request }) =>
        HttpResponse.json({ authorized: true, credential: { id: 'c1', token: 't', key: 'k', name: 'default', createdAt: '', expiresAt: null }, echo: await request.json() }),
      ),
      http.put(`${BASE}/admin/users/:id/grants`, async ({ request }) => HttpResponse.json({ grants: await request.json() })),
      http.post(`${BASE}/admin/users/:id/credentials/:cid/regenerate`, () => HttpResponse.json({ token: 't', key: 'k2' })),
      http.delete(`${BASE}/admin/users/:id/credentials/:cid`, () => new HttpResponse(null, { status: 204 })),
    );
    const admin = client();
    const change = await admin.setApiAccess('a/b', true);
    expect(change.authorized && change.credential.key).toBe('k');
    expect(await admin.setGrants('u1', { customers: 'standard' })).toEqual({ customers: 'standard' });
    expect(await admin.regenerate('u1', 'c 1')).toEqual({ token: 't', key: 'k2' });
    expect(await admin.revoke('u1', 'c1')).toBeUndefined();
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'PUT /admin/users/a%2Fb/api-access',
      'PUT /admin/users/u1/grants',
      'POST /admin/users/u1/credentials/c%201/regenerate',
      'DELETE /admin/users/u1/credentials/c1',
    ]);
    expect(requests[0].headers.get('Content-Type')).toBe('application/json');
    expect(await requests[1].json()).toEqual({ customers: 'standard' });
  });

  it('turns a refusal into its code, status and the connector’s own sentence', async () => {
    server.use(
      http.patch(`${BASE}/admin/users/:id`, () =>
        HttpResponse.json({ error: { code: 'forbidden', message: 'You may not give the team "Events": you are not in it.' } }, { status: 403 }),
      ),
    );
    const error = await failure(client().updateUser('u1', { teams: ['team-events'] }));
    expect(error).toMatchObject({ code: 'forbidden', status: 403, message: 'You may not give the team "Events": you are not in it.' });
  });

  it('says plainly when the connector does not answer or answers without a reason', async () => {
    server.use(
      http.get(`${BASE}/admin/teams`, () => HttpResponse.error()),
      http.get(`${BASE}/admin/organizations`, () => new HttpResponse('<html>proxy error</html>', { status: 502 })),
    );
    expect((await failure(client().teams())).code).toBe('unreachable');
    const bad = await failure(client().organizations());
    expect(bad).toMatchObject({ code: 'bad_response', status: 502 });
    expect(bad.message).toContain('502');
  });
});
