import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { paneMessages } from '../../../addin/src/errors';
import { FunctionFailure, ROWS_LIMIT, SheetFunctions } from '../../../addin/src/functions/sheet-functions';
import type { DataFormat } from '../../../connector/contract';
import { BASE, CREDENTIALS, pagesOf } from '../connector-fixture';

/** LOOKUP and ROWS against a connector as the contract describes it (msw). */
const requests: URL[] = [];
const server = setupServer(
  http.get(`${BASE}/v1/tables/customers`, ({ request }) => {
    const url = new URL(request.url);
    requests.push(url);
    const format = (url.searchParams.get('format') ?? 'basic') as DataFormat;
    const index = [null, 'c1', 'c2'].indexOf(url.searchParams.get('cursor'));
    return HttpResponse.json(pagesOf(format)[index]);
  }),
  http.get(`${BASE}/v1/tables/nope`, () => HttpResponse.json({ error: { code: 'not_found', message: 'There is no table "nope".' } }, { status: 404 })),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  requests.length = 0;
});
afterAll(() => server.close());

const connected = () => new SheetFunctions({ credentials: () => CREDENTIALS, windowMs: 50 });

async function failure(promise: Promise<unknown>): Promise<FunctionFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FunctionFailure);
  return error as FunctionFailure;
}

describe('LOOKUP', () => {
  it('returns one field of one row; coded fields in display form at standard, their parts at expanded', async () => {
    const f = connected();
    expect(await f.lookup('customers', 'C003', 'Name')).toBe('Crane');
    expect(await f.lookup('customers', 'C002', 'Credit Limit', 'standard')).toBe(2500.5);
    expect(await f.lookup('customers', 'C001', 'Sales Rep', 'standard')).toBe('01 - John Smith');
    expect(await f.lookup('customers', 'C001', 'Sales Rep.Code', 'expanded')).toBe('01');
    expect(await f.lookup('customers', 'C005', 'Sales Rep.DisplayAs', 'Expanded')).toBe('02 - Jane Doe');
    expect(await f.lookup('customers', 'C005', 'Sales Rep', 'expanded')).toBe('02 - Jane Doe');
  });

  it('batches one recalculation: many lookups of a table and format share one pull', async () => {
    const f = connected();
    const keys = ['C001', 'C002', 'C003', 'C004', 'C005', 'C001', 'C004'];
    const names = await Promise.all(keys.map((key) => f.lookup('customers', key, 'Name', 'standard')));
    expect(names).toEqual(['Acme', 'Bolt', 'Crane', 'Dune', 'Echo', 'Acme', 'Dune']);
    expect(await f.lookup('customers', 'C002', 'Since', 'standard')).toBe('2021-06-01');
    // Three pages of one table at one format, whatever the keys and fields.
    expect(requests.map((url) => url.searchParams.get('cursor'))).toEqual([null, 'c1', 'c2']);
    // A later recalculation asks again.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await f.lookup('customers', 'C001', 'Name', 'standard')).toBe('Acme');
    expect(requests).toHaveLength(6);
    // Never a key in the URL.
    for (const url of requests) expect(url.href).not.toContain(CREDENTIALS.key);
  });

  it('a missing row is #N/A with one message; other failures are #VALUE! with the pane\'s words', async () => {
    const f = connected();
    const missing = await failure(f.lookup('customers', 'C999', 'Name'));
    expect(missing.kind).toBe('notAvailable');
    expect(missing.message).toBe('customers has no row with key "C999" that you can see.');
    const above = await failure(f.lookup('customers', 'C001', 'Sales Rep'));
    expect([above.kind, above.message]).toEqual(['invalidValue', expect.stringMatching(/"Sales Rep" is not a column of customers in the basic format/)]);
    expect((await failure(f.lookup('customers', 'C001', 'Sales Rep.Code', 'standard'))).message).toMatch(/expanded/);
    expect((await failure(f.lookup('customers', 'C001', 'Delivery Addresses', 'detail'))).message).toMatch(/ROWS/);
    expect((await failure(f.lookup('customers', 'C001', 'Name', 'gold'))).message).toMatch(/not a format/);
    const gone = await failure(f.lookup('nope', 'C001', 'Name'));
    expect([gone.kind, gone.message]).toEqual(['invalidValue', 'The connector has no such table any more. Ask your administrator whether it was renamed or removed.']);
  });

  it('revoked credentials are #VALUE! with the revoked sentence', async () => {
    server.use(http.get(`${BASE}/v1/*`, () => HttpResponse.json({ error: { code: 'credentials_revoked', message: 'Revoked.' } }, { status: 401 })));
    const revoked = await failure(connected().lookup('customers', 'C001', 'Name'));
    expect([revoked.kind, revoked.message]).toEqual(['invalidValue', 'Your API access was revoked. Ask your administrator to authorize you again.']);
  });

  it('without a connection in the pane, says to connect and sends nothing', async () => {
    const f = new SheetFunctions({ credentials: () => null });
    expect((await failure(f.lookup('customers', 'C001', 'Name'))).message).toBe(paneMessages.notConnected);
    expect(requests).toEqual([]);
  });
});

describe('ROWS', () => {
  it('spills the header row first, then the rows, with blanks as empty text', async () => {
    server.use(
      http.get(`${BASE}/v1/tables/customers`, ({ request }) => {
        requests.push(new URL(request.url));
        const page = pagesOf('expanded')[0]!;
        return HttpResponse.json({ ...page, rows: [...page.rows, { ...page.rows[0]!, Code: 'C009', Since: null }], nextCursor: null });
      }),
    );
    const spill = await connected().rows('customers', 'Code, Sales Rep,Since', 'expanded', 'Sales Rep=01; Credit Limit = 1000');
    expect(spill[0]).toEqual(['Code', 'Name', 'Sales Rep Code', 'Sales Rep', 'Credit Limit', 'Since']);
    expect(spill[1]).toEqual(['C001', 'Acme', '01', '01 - John Smith', 1000, '2020-01-15']);
    expect(spill[3]!.at(-1)).toBe('');
    const url = requests[0]!;
    expect(url.searchParams.get('fields')).toBe('Code,Sales Rep,Since');
    expect(url.searchParams.get('filter[Sales Rep]')).toBe('01');
    expect(url.searchParams.get('filter[Credit Limit]')).toBe('1000');
    expect(url.searchParams.get('limit')).toBe(String(ROWS_LIMIT));
    expect(url.searchParams.get('format')).toBe('expanded');
  });

  it('above the row limit it is an error pointing to Insert table', async () => {
    const tooMany = await failure(connected().rows('customers'));
    expect(tooMany.message).toMatch(/more than 10,000 rows.*Insert table/);
    expect(requests).toHaveLength(1);
  });

  it('the connector\'s refusal of a field is the pane\'s message, naming the field', async () => {
    server.use(
      http.get(`${BASE}/v1/tables/customers`, () =>
        HttpResponse.json({ error: { code: 'invalid_request', message: 'Field "fields": "Nope" is not a column.' } }, { status: 400 }),
      ),
    );
    expect((await failure(connected().rows('customers', 'Nope'))).message).toMatch(/"Nope"/);
    expect((await failure(connected().rows('customers', null, null, 'no equals sign'))).message).toMatch(/FIELD=VALUE/);
  });
});
