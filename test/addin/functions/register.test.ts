import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customFunctionsApi, registerFunctions, type CustomFunctionsApi } from '../../../addin/src/functions/register';
import { BASE, connectorHandlers, CREDENTIALS } from '../connector-fixture';

const server = setupServer(...connectorHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

class ExcelError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
  }
}

/** Excel's CustomFunctions as far as the add-in uses it: what was associated, and its error type. */
function stubApi() {
  const associated = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const api: CustomFunctionsApi = {
    associate: (id, fn) => associated.set(id, fn as never),
    Error: ExcelError,
    ErrorCode: { notAvailable: '#N/A', invalidValue: '#VALUE!' },
  };
  return { api, associated };
}

describe('registerFunctions', () => {
  it('associates LOOKUP and ROWS, whose failures reach Excel as its errors with the message', async () => {
    const { api, associated } = stubApi();
    registerFunctions(api, { credentials: () => CREDENTIALS });
    expect([...associated.keys()]).toEqual(['LOOKUP', 'ROWS']);
    expect(await associated.get('LOOKUP')!('customers', 'C002', 'Name', null)).toBe('Bolt');
    const missing = await associated.get('LOOKUP')!('customers', 'C404', 'Name', null).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ExcelError);
    expect([(missing as ExcelError).code, (missing as ExcelError).message]).toEqual(['#N/A', 'customers has no row with key "C404" that you can see.']);

    server.use(http.get(`${BASE}/v1/*`, () => HttpResponse.json({ error: { code: 'credentials_expired', message: 'Expired.' } }, { status: 401 })));
    const expired = await associated.get('ROWS')!('customers', null, null, null).catch((e: unknown) => e);
    expect([(expired as ExcelError).code, (expired as ExcelError).message]).toEqual([
      '#VALUE!',
      'Your API key has expired. Ask your administrator for a new token and key.',
    ]);
  });

  it('finds CustomFunctions only where it exists', () => {
    expect(customFunctionsApi()).toBeNull();
    const { api } = stubApi();
    (globalThis as { CustomFunctions?: unknown }).CustomFunctions = api;
    try {
      expect(customFunctionsApi()).toBe(api);
    } finally {
      delete (globalThis as { CustomFunctions?: unknown }).CustomFunctions;
    }
  });
});
