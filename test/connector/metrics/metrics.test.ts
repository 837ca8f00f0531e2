import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type ConnectorApp } from '../../../connector/app';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { metricsApp } from '../../../connector/metrics/metrics-app';
import { createMetrics, type Metrics } from '../../../connector/metrics/registry';
import { timedStore } from '../../../connector/metrics/timed-store';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';
import { describeWithPostgres } from '../../helpers/postgres';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';

let ctx: TestContext;
let member: TestUser;
let metrics: Metrics;
let app: ConnectorApp;

beforeAll(async () => {
  ctx = await createTestContext();
  member = await ctx.createUser({ grants: { products: 'basic' } });
  metrics = createMetrics();
  app = createApp({ ...ctx.services, store: timedStore(ctx.services.store, metrics.storeOperations) }, { metrics: metrics.requests });
});
afterAll(() => ctx.close());

const scrape = async (token: string | null = null, headers: Record<string, string> = {}) => {
  const response = await metricsApp(metrics.registry, token).request('/metrics', { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};
/** The value of the series `name{labels}` (labels in any order), undefined when absent. */
const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const have = (match[2] ?? '').split(/,(?=[a-z_]+=")/).filter(Boolean).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
};
const get = (path: string, headers: Record<string, string> = member.headers) => app.request(path, { headers });

describe('GET /metrics', () => {
  it('is not on the connector: 404 not_found, whether metrics are on or off', async () => {
    for (const connector of [ctx.app, app]) {
      const response = await connector.request('/metrics');
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('not_found');
    }
  });

  it('counts requests by method, route pattern and status, and times them', async () => {
    const me = { method: 'GET', status: '200', ok: 'true', route: '/v1/me' };
    const before = sample((await scrape()).text, 'http_requests_total', me) ?? 0;
    expect((await get('/v1/me')).status).toBe(200);
    expect((await get('/v1/me')).status).toBe(200);
    expect((await get('/v1/me', {})).status).toBe(401);
    const { status, type, text } = await scrape();
    expect({ status, type }).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8' });
    expect(sample(text, 'http_requests_total', me)).toBe(before + 2);
    // A refusal is counted under the pattern of the middleware that refused it.
    expect(sample(text, 'http_requests_total', { method: 'GET', status: '401', ok: 'false', route: '/v1/*' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'http_request_duration_seconds_count', me)).toBe(before + 2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...me, le: '+Inf' })).toBe(before + 2);
  });

  it('labels a path carrying a key, in any encoding, with its route pattern only: no key and no raw path reach the output', async () => {
    const paths = [
      `/v1/tables/${member.key}`,
      `/v1/tables/${encodeURIComponent(encodeURIComponent(member.key))}`,
      `/v1/tables/products/rows/${member.key.slice(4)}`,
      `/nowhere/${member.token}/${member.key}`,
      `/admin/users/${member.key}`,
    ];
    for (const path of paths) expect((await get(path)).status).toBeGreaterThanOrEqual(400);
    const { text } = await scrape();
    for (const secret of [member.key, member.key.slice(4), member.token, 'sgk_', '/nowhere']) expect(text).not.toContain(secret);
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((match) => match[1]));
    expect(routes).toContain('/v1/tables/:table');
    expect(routes).toContain('/v1/tables/:table/rows/:key');
    // Every label is a pattern the app registered: bounded, whatever clients send.
    for (const route of routes) expect(route, route).toMatch(/^(\*|\/[A-Za-z0-9/_.:*-]*)$/);
    expect([...routes].every((route) => !/[0-9A-Za-z]{40}/.test(route))).toBe(true);
  });

  it("times the store's operations by name, on the requests' path", async () => {
    const read = async () => sample((await scrape()).text, 'sheetgate_store_operation_duration_seconds_count', { operation: 'security.findPrincipal' });
    const before = (await read()) ?? 0;
    await get('/v1/me');
    expect(await read()).toBe(before + 1);
  });

  it('includes process metrics', async () => {
    const { text } = await scrape();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it('asks for the bearer token when one is set, in the contract error shape', async () => {
    const refused = async (headers: Record<string, string>) => {
      const response = await metricsApp(metrics.registry, TOKEN).request('/metrics', { headers });
      return { status: response.status, code: (await response.json()).error.code };
    };
    expect(await refused({})).toEqual({ status: 401, code: 'missing_credentials' });
    expect(await refused({ Authorization: `Bearer ${TOKEN}x` })).toEqual({ status: 401, code: 'invalid_credentials' });
    expect(await refused({ Authorization: TOKEN })).toEqual({ status: 400, code: 'invalid_request' });
    // The connector's own credentials are no way in.
    expect(await refused({ [TOKEN_HEADER]: member.token, [KEY_HEADER]: member.key })).toEqual({ status: 401, code: 'missing_credentials' });
    const served = await scrape(TOKEN, { Authorization: `Bearer ${TOKEN}` });
    expect(served.status).toBe(200);
    expect(served.text).toContain('# TYPE http_requests_total counter');
  });

  it('serves nothing else on the metrics listener', async () => {
    const response = await metricsApp(metrics.registry, null).request('/v1/me', { headers: member.headers });
    expect(response.status).toBe(404);
  });
});

describeWithPostgres('PostgreSQL pool gauges', () => {
  it('report the connections open, idle, and the queries waiting for one', async () => {
    const pool = new pg.Pool({ connectionString: inject('postgresUrl') ?? '', max: 1 });
    const poolMetrics = createMetrics({ pool });
    const gauges = async () => {
      const text = await poolMetrics.registry.metrics();
      return ['sheetgate_db_pool_connections', 'sheetgate_db_pool_idle_connections', 'sheetgate_db_pool_waiting_requests'].map((name) => sample(text, name));
    };
    try {
      expect(await gauges()).toEqual([0, 0, 0]);
      const held = await pool.connect();
      const waiting = pool.query('SELECT 1');
      expect(await gauges()).toEqual([1, 0, 1]);
      held.release();
      await waiting;
      expect(await gauges()).toEqual([1, 1, 0]);
    } finally {
      await pool.end();
    }
  });
});
