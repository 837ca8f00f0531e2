import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BROWSER, startBrowserSession, type BrowserSession } from './browser-session';

/**
 * =SHEETGATE.LOOKUP and =SHEETGATE.ROWS as Excel would call them: the real pane page in headless
 * Chromium, with `CustomFunctions` stubbed before any script runs (office.js included, which would
 * otherwise take over `associate`), against a real connector, with the pane's own connection.
 */
const REVOKED = 'Your API access was revoked. Ask your administrator to authorize you again.';

type Result = { value: unknown } | { code: string; message: string };

/** Runs in the page before its scripts: records what the pane associates, and calls it as Excel does. */
function stubCustomFunctions(): void {
  const associated: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  class ExcelError extends Error {
    constructor(
      readonly code: string,
      message?: string,
    ) {
      super(message);
    }
  }
  const api = { Error: ExcelError, ErrorCode: { notAvailable: '#N/A', invalidValue: '#VALUE!' } };
  Object.defineProperty(api, 'associate', {
    enumerable: true,
    get: () => (id: string, fn: (...args: unknown[]) => Promise<unknown>) => void (associated[id] = fn),
    set: () => undefined,
  });
  Object.assign(window, {
    CustomFunctions: api,
    sheetgateCall: async (id: string, ...args: unknown[]) => {
      try {
        return { value: await associated[id]!(...args) };
      } catch (error) {
        return { code: (error as ExcelError).code, message: (error as ExcelError).message };
      }
    },
    sheetgateAssociated: () => Object.keys(associated),
  });
}

describe.skipIf(NO_BROWSER)('custom functions in the pane page against a real connector', () => {
  let session: BrowserSession;
  let page: Page;
  const pageErrors: string[] = [];

  const call = (id: string, ...args: unknown[]): Promise<Result> =>
    page.evaluate(([name, rest]) => (window as unknown as { sheetgateCall: (...a: unknown[]) => Promise<Result> }).sheetgateCall(name, ...(rest as unknown[])), [id, args] as const);

  beforeAll(async () => {
    session = await startBrowserSession();
  });
  afterAll(() => session?.close());

  it('LOOKUP and ROWS read with the pane\'s connection; a hidden row is #N/A like a missing one; revoked is #VALUE! with its sentence', async () => {
    const analyst = await session.analyst('fran.functions', { customers: 'expanded' });
    const api = async (path: string) =>
      (await fetch(`${session.connector.url}${path}`, { headers: { 'X-Api-Token': analyst.token, 'X-Api-Key': analyst.key } })).json();
    const visible = (await api('/v1/tables/customers?format=standard&limit=10000')).rows as Array<Record<string, unknown>>;
    const everyone = (await session.adminCall('GET', '/v1/tables/customers?limit=10000')).rows as Array<Record<string, unknown>>;
    const hidden = everyone.find((row) => !visible.some((v) => v.Code === row.Code))!;
    expect(hidden).toBeDefined();

    page = await session.connectedPane(analyst, stubCustomFunctions);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    expect(await page.evaluate(() => (window as unknown as { sheetgateAssociated: () => string[] }).sheetgateAssociated())).toEqual(['LOOKUP', 'ROWS']);

    const first = visible[0]!;
    const rep = String(first['Sales Rep']);
    expect(await call('LOOKUP', 'customers', first.Code, 'Name', null)).toEqual({ value: first.Name });
    expect(await call('LOOKUP', 'customers', first.Code, 'Sales Rep', 'standard')).toEqual({ value: rep });
    expect(await call('LOOKUP', 'customers', first.Code, 'Sales Rep.Code', 'expanded')).toEqual({ value: rep.split(' - ')[0] });

    const missing = await call('LOOKUP', 'customers', 'NO-SUCH-CODE', 'Name', null);
    const invisible = await call('LOOKUP', 'customers', hidden.Code, 'Name', null);
    expect(missing).toEqual({ code: '#N/A', message: 'customers has no row with key "NO-SUCH-CODE" that you can see.' });
    expect(invisible).toEqual({ code: '#N/A', message: `customers has no row with key "${hidden.Code}" that you can see.` });

    const code = rep.split(' - ')[0];
    const spill = await call('ROWS', 'customers', 'Name, Sales Rep', 'standard', `Sales Rep=${code}`);
    const matching = visible.filter((row) => row['Sales Rep'] === rep);
    expect(spill).toEqual({ value: [['Code', 'Name', 'Sales Rep'], ...matching.map((row) => [row.Code, row.Name, row['Sales Rep']])] });
    expect((await call('ROWS', 'customers', 'Nope', null, null)) as { message: string }).toMatchObject({ code: '#VALUE!', message: expect.stringContaining('"Nope"') });

    await session.adminCall('PUT', `/admin/users/${analyst.userId}/api-access`, { authorized: false });
    // Another format than before: nothing of this recalculation is cached.
    expect(await call('LOOKUP', 'customers', first.Code, 'Name', 'detail')).toEqual({ code: '#VALUE!', message: REVOKED });
    expect(await call('ROWS', 'customers', null, 'detail', null)).toEqual({ code: '#VALUE!', message: REVOKED });
    expect(pageErrors).toEqual([]);
  });
});
