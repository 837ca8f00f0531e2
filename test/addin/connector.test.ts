import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_STATUS, type ErrorCode, type TablePage } from '../../connector/contract';
import { ConnectorClient, EXCEL_MAX_ROWS, MAX_PAGES, retryAfterSeconds } from '../../addin/src/connector';
import { isPaneError, messageFor, type PaneError } from '../../addin/src/errors';
import { BASE, connectorHandlers, CREDENTIALS, customerPages, me, tables } from './connector-fixture';

const server = setupServer(...connectorHandlers());
const requests: Request[] = [];
server.events.on('request:start', ({ request }) => void requests.push(request));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  requests.length = 0;
  waits.length = 0;
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Waits asked for, instead of waiting: retries run at once. */
const waits: number[] = [];
const noWait = async (ms: number) => void waits.push(ms);
const client = () => ConnectorClient.create(CREDENTIALS, { sleep: noWait });

async function failure(promise: Promise<unknown>): Promise<PaneError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isPaneError(error)) throw new Error(`expected a PaneError, got ${String(error)}`);
  return error;
}

function answerWith(code: ErrorCode, headers: Record<string, string> = {}) {
  server.use(
    http.get(`${BASE}/v1/*`, () =>
      HttpResponse.json({ error: { code, message: `server says ${code}` } }, { status: ERROR_STATUS[code], headers }),
    ),
  );
}

describe('ConnectorClient requests', () => {
  it('sends the token and key in headers only, never in the URL', async () => {
    const me = await client().me();
    expect(me.user.name).toBe('Ann Analyst');
    const [request] = requests;
    expect(request!.headers.get('X-Api-Token')).toBe(CREDENTIALS.token);
    expect(request!.headers.get('X-Api-Key')).toBe(CREDENTIALS.key);
    expect(request!.url).not.toContain(CREDENTIALS.token);
    expect(request!.url).not.toContain(CREDENTIALS.key);
  });

  it('keeps a path prefix of the connector URL', async () => {
    server.use(http.get('https://gw.example.com/sheetgate/v1/tables', () => HttpResponse.json({ tables: [] })));
    const prefixed = ConnectorClient.create({ ...CREDENTIALS, url: 'https://gw.example.com/sheetgate' });
    expect(await prefixed.tables()).toEqual([]);
    expect(prefixed.endpoint).toBe('https://gw.example.com/sheetgate');
  });
});

describe('ConnectorClient errors in plain words', () => {
  const codes = Object.keys(ERROR_STATUS) as ErrorCode[];

  it.each(codes.filter((c) => c !== 'tier_not_granted' && c !== 'rate_limited'))('%s', async (code) => {
    answerWith(code);
    const error = await failure(client().tables());
    expect(error.code).toBe(code);
    expect(error.message).toBe(messageFor(code, { serverMessage: `server says ${code}` }));
    expect(error.message).not.toMatch(/undefined|\[object/);
  });

  it('says exactly what to do when access was revoked', async () => {
    answerWith('credentials_revoked');
    const error = await failure(client().me());
    expect(error.message).toBe('Your API access was revoked. Ask your administrator to authorize you again.');
  });

  it('rate limited: tells how long to wait, from Retry-After', async () => {
    answerWith('rate_limited', { 'Retry-After': '42' });
    const error = await failure(client().tables());
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('Wait 42 seconds');
  });

  it('tier not granted: names the highest format still granted on that table', async () => {
    server.use(
      http.get(`${BASE}/v1/tables/customers`, () =>
        HttpResponse.json({ error: { code: 'tier_not_granted', message: 'Your grant stops at standard.' } }, { status: 403 }),
      ),
      // The grant was lowered since the table was inserted at detail.
      http.get(`${BASE}/v1/tables`, () =>
        HttpResponse.json({ tables: [{ ...tables[0]!, maxFormat: 'standard', formats: ['basic', 'standard'] }] }),
      ),
    );
    const error = await failure(client().page('customers', 'detail', null));
    expect(error.code).toBe('tier_not_granted');
    expect(error.message).toContain('"standard"');
  });

  it('connector unreachable', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.error()));
    const error = await failure(client().me());
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain(`Cannot reach the connector at ${BASE}`);
  });

  it('something that is not a connector answers', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.text('<html>login</html>', { status: 200 })));
    expect((await failure(client().me())).code).toBe('bad_response');
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.text('Bad gateway', { status: 502 })));
    expect((await failure(client().me())).code).toBe('bad_response');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30);
    expect(retryAfterSeconds(null)).toBeNull();
  });
});

describe('ConnectorClient paging and cancel', () => {
  it('follows nextCursor to the end, every row once, in order', async () => {
    const pages: TablePage[] = [];
    for await (const page of client().pages('customers', 'standard')) pages.push(page);
    expect(pages.map((p) => p.rows.length)).toEqual(customerPages.map((p) => p.rows.length));
    expect(pages.flatMap((p) => p.rows.map((r) => r.Code))).toEqual(customerPages.flatMap((p) => p.rows.map((r) => r.Code)));
    const cursors = requests.map((r) => new URL(r.url).searchParams.get('cursor'));
    expect(cursors).toEqual([null, 'c1', 'c2']);
    expect(requests.every((r) => new URL(r.url).searchParams.get('format') === 'standard')).toBe(true);
  });

  it('stops fetching as soon as it is cancelled', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const page of client().pages('customers', 'standard', { signal: controller.signal })) {
          seen.push(page.rows.length);
          controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('cancelled');
    expect(seen).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });

  it('abandons a request in flight when cancelled', async () => {
    server.use(http.get(`${BASE}/v1/tables/customers`, () => new Promise<Response>(() => undefined)));
    const controller = new AbortController();
    const pending = failure(client().page('customers', 'basic', null, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect((await pending).code).toBe('cancelled');
  });
});

describe('bad paste is caught before any request', () => {
  const cases: Array<[string, Partial<typeof CREDENTIALS>, RegExp]> = [
    ['a line break inside the token', { token: `${CREDENTIALS.token.slice(0, 6)}\n${CREDENTIALS.token.slice(6)}` }, /token has spaces or line breaks/],
    ['a space inside the key', { key: `${CREDENTIALS.key.slice(0, 8)} ${CREDENTIALS.key.slice(8)}` }, /key has spaces/],
    ['token and key swapped', { token: CREDENTIALS.key, key: CREDENTIALS.token }, /look swapped/],
    ['the key pasted in both boxes', { token: CREDENTIALS.key }, /token box holds a key/],
    ['something else entirely', { token: 'hello' }, /should start with sgt_/],
    ['an empty key', { key: '' }, /Paste your API token and API key/],
    ['a URL that is not one', { url: 'localhost 3000' }, /not a web address/],
    ['credentials in the URL', { url: `https://x.example/?key=${CREDENTIALS.key}` }, /just the address/],
    ['plain http to another host', { url: 'http://connector.example.com:3000' }, /must start with https:\/\/ \(plain http:\/\/ is only accepted for a connector on this computer/],
    ['plain http to a LAN address', { url: 'http://192.168.1.10' }, /must start with https:\/\//],
    ['plain http to a name that only starts like localhost', { url: 'http://localhost.evil.example' }, /must start with https:\/\//],
  ];

  it.each(cases)('%s', async (_name, change, message) => {
    let thrown: unknown;
    try {
      ConnectorClient.create({ ...CREDENTIALS, ...change });
    } catch (error) {
      thrown = error;
    }
    expect(isPaneError(thrown, 'bad_paste')).toBe(true);
    expect((thrown as PaneError).message).toMatch(message);
    expect(requests).toHaveLength(0);
  });
});

describe('the paste is read as meant', () => {
  it('trims spaces and line breaks around the token, key and URL, and sends them trimmed', async () => {
    const pasted = { url: ` ${BASE} `, token: ` ${CREDENTIALS.token}`, key: `${CREDENTIALS.key} \n` };
    await ConnectorClient.create(pasted).me();
    expect(requests[0]!.headers.get('X-Api-Token')).toBe(CREDENTIALS.token);
    expect(requests[0]!.headers.get('X-Api-Key')).toBe(CREDENTIALS.key);
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://sheetgate.localhost'])(
    'accepts plain http on this computer: %s',
    (url) => {
      expect(ConnectorClient.create({ ...CREDENTIALS, url }).endpoint).toBe(url);
    },
  );
});

describe('redirects are never followed', () => {
  it('names the new location and sends nothing there', async () => {
    const elsewhere: string[] = [];
    server.use(
      http.get(`${BASE}/v1/me`, () => new HttpResponse(null, { status: 302, headers: { Location: 'https://evil.example/collect' } })),
      http.get('https://evil.example/*', ({ request }) => {
        elsewhere.push(request.url);
        return HttpResponse.json(me);
      }),
    );
    const error = await failure(client().me());
    expect(error.code).toBe('redirected');
    expect(error.message).toContain(`The connector at ${BASE} answered with a redirect to https://evil.example/collect.`);
    expect(elsewhere).toEqual([]);
    expect(requests.map((r) => r.redirect)).toEqual(['manual']);
  });

  it('resolves a relative Location against the request', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => new HttpResponse(null, { status: 308, headers: { Location: '/login' } })));
    expect((await failure(client().me())).message).toContain(`a redirect to ${BASE}/login.`);
  });

  it("says the browser hid the location when fetch gives an opaque redirect (a browser's answer to redirect: 'manual')", async () => {
    const opaque = { type: 'opaqueredirect', status: 0, ok: false, headers: new Headers() } as Response;
    const error = await failure(ConnectorClient.create(CREDENTIALS, { fetchFn: async () => opaque }).me());
    expect(error.code).toBe('redirected');
    expect(error.message).toContain('a redirect to another address (the browser does not say which)');
  });
});

describe('a pull that would never end is stopped', () => {
  const page = (nextCursor: string | null): TablePage => ({
    table: 'customers',
    format: 'basic',
    columns: [{ name: 'Code', type: 'string' }],
    rows: [{ Code: 'C1' }],
    nextCursor,
  });

  it('on a cursor it was given before', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/tables/customers`, () => HttpResponse.json(page(['a', 'b', 'a'][n++] ?? null))));
    const error = await failure(
      (async () => {
        for await (const _ of client().pages('customers', 'basic')) void _;
      })(),
    );
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('kept sending more pages of customers');
    expect(requests).toHaveLength(3);
  });

  it(`after ${MAX_PAGES} pages of fresh cursors`, async () => {
    let n = 0;
    // Straight to fetch rather than through msw: thousands of requests, in milliseconds.
    const endless = ConnectorClient.create(CREDENTIALS, { fetchFn: async () => Response.json(page(`c${++n}`)) });
    let pages = 0;
    const error = await failure(
      (async () => {
        for await (const _ of endless.pages('customers', 'basic')) pages++;
      })(),
    );
    expect(error.message).toContain(`(${MAX_PAGES.toLocaleString('en-US')} so far`);
    expect(pages).toBe(MAX_PAGES);
    expect(MAX_PAGES).toBeGreaterThan(EXCEL_MAX_ROWS / 1000);
  });
});

describe('rate limits and network trouble are retried, a bounded number of times', () => {
  it('waits as long as Retry-After says, shows the wait, then goes on', async () => {
    let n = 0;
    server.use(
      http.get(`${BASE}/v1/me`, () =>
        n++ === 0
          ? HttpResponse.json({ error: { code: 'rate_limited', message: 'slow down' } }, { status: 429, headers: { 'Retry-After': '2' } })
          : HttpResponse.json(me),
      ),
    );
    const shown: [number, string][] = [];
    const me1 = await ConnectorClient.create(CREDENTIALS, { sleep: noWait, onWait: (s, why) => shown.push([s, why]) }).me();
    expect(me1.user.name).toBe('Ann Analyst');
    expect(waits).toEqual([2000]);
    expect(shown).toEqual([[2, 'rate_limited']]);
  });

  it('backs off 1, 2, 4 s on network errors and gateways, then says it cannot reach the connector', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/me`, () => (n++ % 2 ? HttpResponse.error() : HttpResponse.text('Bad gateway', { status: 503 }))));
    const error = await failure(client().me());
    expect(error.code).toBe('unreachable');
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(requests).toHaveLength(4);
  });

  it('recovers from a transient network error', async () => {
    let n = 0;
    server.use(http.get(`${BASE}/v1/me`, () => (n++ === 0 ? HttpResponse.error() : HttpResponse.json(me))));
    expect((await client().me()).user.name).toBe('Ann Analyst');
    expect(waits).toEqual([1000]);
  });

  it('does not sit out a long Retry-After: it says how long to wait instead', async () => {
    answerWith('rate_limited', { 'Retry-After': '120' });
    const error = await failure(client().tables());
    expect(error.message).toContain('Wait 120 seconds');
    expect(waits).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('a refusal is final: no retry on revoked, no access, or a server error', async () => {
    for (const code of ['credentials_revoked', 'no_access', 'internal_error'] as const) {
      answerWith(code);
      await failure(client().tables());
    }
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([]);
  });

  it('Cancel during a wait stops at once', async () => {
    server.use(http.get(`${BASE}/v1/me`, () => HttpResponse.error()));
    const controller = new AbortController();
    const pending = failure(ConnectorClient.create(CREDENTIALS).me(controller.signal));
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    expect((await pending).code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(900);
  });
});
