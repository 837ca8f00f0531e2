import { request } from 'node:http';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { printedDemoPairs, type Pair } from '../../helpers/connector-http';
import { createTestContext, type TestContext, STILL_CLOCK, type TestUser } from '../../helpers/harness';

// The GET /v1 data routes are answered by the hot path (connector/http/hot-path.ts), which builds
// its headers itself instead of through the middleware stack. These tests pin that its answers,
// successes and every kind of refusal, carry exactly the headers the stack gives: secure headers,
// the request id, CORS for an allowed origin, no-store, HSTS over HTTPS.

const ORIGIN = 'https://addin.example.com';

/** Headers to compare: every one but those that differ per answer (its length, the clock, a fresh id). */
function comparable(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers] : Object.entries(headers).map(([name, value]) => [name, String(value)]);
  const kept = Object.fromEntries(entries.filter(([name]) => !['content-length', 'date', 'retry-after'].includes(name)));
  if (kept['x-request-id'] !== undefined) kept['x-request-id'] = '<id>';
  return kept;
}

describe('through app.request()', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let reader: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    ctx = await createTestContext({ corsOrigins: [ORIGIN], rateLimit: { requests: 30, windowSeconds: 60 } }, STILL_CLOCK);
    admin = await ctx.createUser({ roles: ['system-admin'] });
    reader = await ctx.createUser({ grants: { customers: 'basic' } });
    stranger = await ctx.createUser({});
  });
  afterAll(() => ctx.close());

  const get = (path: string, headers: Record<string, string>, https: boolean) =>
    ctx.request('GET', path, { headers: { Origin: ORIGIN, ...headers }, ip: https ? '127.0.0.1' : undefined });

  for (const https of [false, true]) {
    it(`gives every /v1 answer the header set of the stack's answers${https ? ', HSTS included over HTTPS' : ''}`, async () => {
      // The admin API goes through the whole middleware stack: its answer is the reference.
      const reference = await get('/admin/users', admin.headers, https);
      expect(reference.status).toBe(200);
      const expected = comparable(reference.headers);
      expect(expected).toMatchObject({
        'access-control-allow-origin': ORIGIN,
        'cache-control': 'no-store',
        'content-type': 'application/json',
        'x-content-type-options': 'nosniff',
        'x-request-id': '<id>',
      });
      expect('strict-transport-security' in expected).toBe(https);

      const wrongKey = { [TOKEN_HEADER]: reader.token, [KEY_HEADER]: stranger.key };
      const cases: Array<[path: string, headers: Record<string, string>, status: number, code?: string]> = [
        ['/v1/tables/customers?limit=5', reader.headers, 200],
        ['/v1/tables', reader.headers, 200],
        ['/v1/me', reader.headers, 200],
        ['/v1/tables/customers', {}, 401, 'missing_credentials'],
        ['/v1/tables/customers', wrongKey, 401, 'invalid_credentials'],
        ['/v1/tables/customers?token=abc', reader.headers, 400, 'credentials_in_query'],
        ['/v1/tables/customers', stranger.headers, 403, 'no_access'],
        ['/v1/tables/customers?format=detail', reader.headers, 403, 'tier_not_granted'],
        ['/v1/tables/nope', reader.headers, 404, 'not_found'],
        ['/v1/tables/customers/rows/C404', reader.headers, 404, 'not_found'],
        ['/v1/tables/customers?limit=0', reader.headers, 400, 'invalid_request'],
        ['/v1/tables/customers?format=basic&format=standard', reader.headers, 400, 'invalid_request'],
      ];
      for (const [path, headers, status, code] of cases) {
        const response = await get(path, headers, https);
        const body = await response.json();
        expect({ path, status: response.status, code: body.error?.code }).toEqual({ path, status, code });
        expect(comparable(response.headers), path).toEqual(expected);
      }
    });
  }

  it('gives a 429 the same set, plus Retry-After', async () => {
    const flooder = await ctx.createUser({ grants: { customers: 'basic' } });
    let response: Response | undefined;
    for (let i = 0; i < 31; i++) response = await get('/v1/tables', flooder.headers, false);
    expect(response?.status).toBe(429);
    expect(response?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(comparable(response!.headers)).toEqual(comparable((await get('/admin/users', admin.headers, false)).headers));
  });
});

describe('through a real `sheetgate serve`', () => {
  let connector: RunningConnector;
  let dir: string;
  let ann: Pair;
  let sam: Pair;
  beforeAll(async () => {
    dir = await tempDataDir();
    connector = await startConnector(dir, [], { ...TEST_ENV, SHEETGATE_CORS_ORIGINS: ORIGIN, SHEETGATE_TRUSTED_PROXIES: '127.0.0.1' });
    const pairs = await printedDemoPairs(connector.stdout);
    ann = pairs.get('ann.analyst')!;
    sam = pairs.get('sam.admin')!;
  });
  afterAll(async () => {
    await connector.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** GET over node:http, where a request may say `Content-Length: 0` (which fetch cannot send). */
  const get = (path: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
      const req = request(`${connector.url}${path}`, { headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: comparable(res.headers), body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('answers a GET exactly as the middleware stack answers it: the same headers and body, on success and refusal', async () => {
    const pair = (p: Pair) => ({ [TOKEN_HEADER]: p.token, [KEY_HEADER]: p.key });
    const cases: Array<[path: string, headers: Record<string, string>, status: number]> = [
      ['/v1/tables/customers?limit=3', pair(ann), 200],
      ['/v1/tables', pair(sam), 200],
      ['/v1/me', pair(ann), 200],
      ['/v1/tables/customers', {}, 401],
      ['/v1/tables/customers', { [TOKEN_HEADER]: ann.token, [KEY_HEADER]: sam.key }, 401],
      ['/v1/tables/customers?key=abc', pair(ann), 400],
      ['/v1/tables/products?format=expanded', pair(ann), 403],
      ['/v1/tables/nope', pair(ann), 404],
      ['/v1/tables/customers?limit=x', pair(ann), 400],
    ];
    for (const https of [false, true]) {
      for (const [path, headers, status] of cases) {
        const sent = { Origin: ORIGIN, 'X-Request-Id': 'parity-check', ...(https ? { 'X-Forwarded-Proto': 'https' } : {}), ...headers };
        const hot = await get(path, sent);
        // A request that may carry a body goes through the whole stack (its body limit reads it).
        const stack = await get(path, { ...sent, 'Content-Length': '0' });
        expect({ path, status: hot.status }).toEqual({ path, status });
        expect(hot.headers, path).toEqual(stack.headers);
        expect(hot.body.replace(/"lastUsedAt":"[^"]*"/, ''), path).toBe(stack.body.replace(/"lastUsedAt":"[^"]*"/, ''));
        expect(hot.headers['strict-transport-security'] !== undefined, path).toBe(https);
        expect(hot.headers['access-control-allow-origin'], path).toBe(ORIGIN);
        expect(hot.headers['cache-control'], path).toBe('no-store');
        expect(hot.headers['x-request-id'], path).toBe('<id>');
      }
    }
  });
});
