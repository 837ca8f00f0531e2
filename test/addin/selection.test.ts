import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseBindings, type BindingStore } from '../../addin/src/bindings';
import { insertTable, refreshTable, type PullContext } from '../../addin/src/pull';
import { describeBinding } from '../../addin/src/summaries';
import type { Column, DataFormat } from '../../connector/contract';
import { BASE, pagesOf, tables } from './connector-fixture';
import type { FakeExcel } from './fake-excel';
import { fakeExcelPull } from './pull-fixture';

/** The pane's pulls carry the chosen columns as `fields=` and the row filter as `filter[FIELD]=`. */
const requests: URLSearchParams[] = [];
/** Columns the connector stops sending (a setting cleared): dropped from every page. */
let withheld = new Set<string>();
const server = setupServer(
  http.get(`${BASE}/v1/tables/customers`, ({ request }) => {
    const params = new URL(request.url).searchParams;
    requests.push(params);
    const format = (params.get('format') ?? 'basic') as DataFormat;
    const fields = params.get('fields')?.split(',');
    for (const name of fields ?? []) {
      if (withheld.has(name)) return HttpResponse.json({ error: { code: 'invalid_request', message: `Field "fields": "${name}".` } }, { status: 400 });
    }
    const keep = (column: Column) => !withheld.has(column.name) && (!fields || column.name === 'Code' || fields.includes(column.name));
    const page = pagesOf(format)[[null, 'c1', 'c2'].indexOf(params.get('cursor'))]!;
    const rows = page.rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => keep({ name, type: 'string' }))));
    return HttpResponse.json({ ...page, columns: page.columns.filter(keep), rows, nextCursor: params.get('limit') === '1' ? null : page.nextCursor });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  requests.length = 0;
  withheld = new Set();
});
afterAll(() => server.close());

let excel: FakeExcel;
let bindings: BindingStore;
let ctx: PullContext;
beforeEach(() => {
  ({ excel, bindings, ctx } = fakeExcelPull());
});

describe('filters and fields in pulls', () => {
  it('insert sends the ticked columns and the filter; the binding remembers both and refresh sends them again', async () => {
    const binding = await insertTable(ctx, tables[0]!, 'standard', ['Name', 'Sales Rep'], { field: 'Sales Rep', value: '01' });
    expect(requests.map((p) => [p.get('fields'), p.get('filter[Sales Rep]')])).toEqual(Array(3).fill(['Name,Sales Rep', '01']));
    expect(binding.filter).toEqual({ field: 'Sales Rep', value: '01' });
    expect((await bindings.load())[0]).toMatchObject({ columns: ['Name', 'Sales Rep'], filter: { field: 'Sales Rep', value: '01' } });
    expect(describeBinding(binding)).toContain('only Sales Rep = 01');

    requests.length = 0;
    await refreshTable(ctx, (await bindings.load())[0]!);
    // One single-row look at the columns sent now, then the pages with the same fields and filter.
    expect(requests[0]!.get('limit')).toBe('1');
    expect(requests.slice(1).map((p) => [p.get('fields'), p.get('filter[Sales Rep]')])).toEqual(Array(3).fill(['Name,Sales Rep', '01']));
    expect(excel.tableValues(binding.tableId)[0]).toEqual(['Name', 'Sales Rep']);
  });

  it('all columns and no filter send neither', async () => {
    const binding = await insertTable(ctx, tables[0]!, 'basic');
    expect(requests.every((p) => !p.has('fields') && ![...p.keys()].some((k) => k.startsWith('filter')))).toBe(true);
    requests.length = 0;
    await refreshTable(ctx, binding);
    expect(requests).toHaveLength(3);
  });

  it('a chosen column the connector stopped sending is left out of fields=, so the refresh goes on without it', async () => {
    const binding = await insertTable(ctx, tables[0]!, 'standard', ['Name', 'Credit Limit']);
    withheld = new Set(['Credit Limit']);
    requests.length = 0;
    const result = await refreshTable(ctx, binding);
    expect(result.missingColumns).toEqual(['Credit Limit']);
    expect(requests.slice(1).map((p) => p.get('fields'))).toEqual(Array(3).fill('Name'));
    expect(excel.tableValues(binding.tableId)[0]).toEqual(['Name']);
    expect(result.binding.columns).toEqual(['Name', 'Credit Limit']);
  });

  it('a saved filter that is malformed is dropped, not guessed at', () => {
    const saved = { tableId: 't', table: 'customers', title: 'Customers', format: 'basic', lastRefreshed: '2024-01-01T00:00:00Z', children: [] };
    expect(parseBindings([{ ...saved, filter: { field: 'Name', value: 'Acme', extra: 1 } }])[0]!.filter).toEqual({ field: 'Name', value: 'Acme' });
    expect(parseBindings([{ ...saved, filter: { field: '', value: 'x' } }])[0]!.filter).toBeUndefined();
    expect(parseBindings([{ ...saved, filter: { field: 'Name', value: 3 } }])[0]!.filter).toBeUndefined();
  });
});
