import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ColumnProbe } from '../../addin/src/column-probe';
import { ConnectorClient } from '../../addin/src/connector';
import { BASE, connectorHandlers, CREDENTIALS, customerColumns } from './connector-fixture';

const server = setupServer(...connectorHandlers());
const asked: URL[] = [];
server.events.on('request:start', ({ request }) => {
  if (new URL(request.url).pathname.startsWith('/v1/tables/')) asked.push(new URL(request.url));
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  asked.length = 0;
});
afterAll(() => server.close());

const probe = () => new ColumnProbe(ConnectorClient.create(CREDENTIALS));

describe('ColumnProbe', () => {
  it('learns the columns from one row of the chosen table and format', async () => {
    expect(await probe().columns('customers', 'detail')).toEqual(customerColumns('detail'));
    expect(asked.map((u) => [u.pathname, u.searchParams.get('format'), u.searchParams.get('limit'), u.searchParams.get('cursor')])).toEqual([
      ['/v1/tables/customers', 'detail', '1', null],
    ]);
  });

  it('asks once per table and format on a connection', async () => {
    const columns = probe();
    await columns.columns('customers', 'basic');
    await columns.columns('customers', 'standard');
    await columns.columns('customers', 'basic');
    expect(asked.map((u) => u.searchParams.get('format'))).toEqual(['basic', 'standard']);
  });

  it('drops an answer the analyst has moved on from (another table or format chosen meanwhile)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.get(`${BASE}/v1/tables/customers`, async ({ request }) => {
        if (new URL(request.url).searchParams.get('format') === 'expanded') await held;
        return undefined;
      }),
    );
    const columns = probe();
    const stale = columns.columns('customers', 'expanded');
    const fresh = await columns.columns('customers', 'basic');
    release();
    expect(await stale).toBeNull();
    expect(fresh).toEqual(customerColumns('basic'));
  });

  it('a refusal comes back in plain words', async () => {
    server.use(
      http.get(`${BASE}/v1/tables/customers`, () =>
        HttpResponse.json({ error: { code: 'no_access', message: 'No.' } }, { status: 403 }),
      ),
    );
    await expect(probe().columns('customers', 'basic')).rejects.toMatchObject({
      code: 'no_access',
      message: 'You no longer have access to this table. Ask your administrator to grant it to you again.',
    });
  });
});
