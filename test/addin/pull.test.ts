import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { excelBindingStore, SETTINGS_KEY, type BindingStore } from '../../addin/src/bindings';
import { ConnectorClient } from '../../addin/src/connector';
import type { DataFormat } from '../../connector/contract';
import { isPaneError, paneMessages } from '../../addin/src/errors';
import { insertTable, refreshAll, refreshTable, type PullContext } from '../../addin/src/pull';
import { ExcelWorkbook } from '../../addin/src/workbook/excel';
import { BASE, connectorHandlers, CREDENTIALS, customerRows, pagesOf, tables } from './connector-fixture';
import { FakeExcel } from './fake-excel';

const server = setupServer(...connectorHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const customers = tables[0]!;
let excel: FakeExcel;
let bindings: BindingStore;
let ctx: PullContext;

beforeEach(() => {
  excel = new FakeExcel();
  bindings = excelBindingStore(excel.run);
  ctx = {
    client: ConnectorClient.create(CREDENTIALS, { sleep: async () => undefined }),
    workbook: new ExcelWorkbook(excel.run),
    bindings,
    now: () => new Date('2024-05-01T10:00:00Z'),
  };
});

function revokeEverything() {
  server.use(
    http.get(`${BASE}/v1/*`, () =>
      HttpResponse.json({ error: { code: 'credentials_revoked', message: 'Revoked.' } }, { status: 401 }),
    ),
  );
}

describe('insertTable', () => {
  it('writes every page into one named table and remembers where it came from', async () => {
    const progress: number[] = [];
    const binding = await insertTable({ ...ctx, onProgress: (n) => progress.push(n) }, customers, 'standard');
    expect(excel.tableValues(binding.tableId)).toEqual([
      ['Code', 'Name', 'Sales Rep', 'Credit Limit', 'Since'],
      ['C001', 'Acme', '01 - John Smith', 1000, expect.any(Number)],
      ['C002', 'Bolt', '02 - Jane Doe', 2500.5, expect.any(Number)],
      ['C003', 'Crane', '01 - John Smith', 0, expect.any(Number)],
      ['C004', 'Dune', '03 - Max Moe', 750, expect.any(Number)],
      ['C005', 'Echo', '02 - Jane Doe', 50, expect.any(Number)],
    ]);
    expect(progress).toEqual([2, 4, 5]);
    expect(await bindings.load()).toEqual([
      {
        tableId: binding.tableId,
        tableName: 'Customers',
        width: 5,
        table: 'customers',
        title: 'Customers',
        format: 'standard',
        lastRefreshed: '2024-05-01T10:00:00.000Z',
        children: [],
      },
    ]);
  });

  /** Rows written to Excel (value syncs' row counts) when the third page is asked for. */
  async function rowsWrittenBeforePage3(limits?: ConstructorParameters<typeof ExcelWorkbook>[1]): Promise<number> {
    let written = -1;
    const rowsIn = (op: string) => Number(/^(?:values|rows\.add) (\d+)x/.exec(op)?.[1] ?? 0);
    server.use(
      http.get(`${BASE}/v1/tables/customers`, ({ request }) => {
        if (new URL(request.url).searchParams.get('cursor') === 'c2') {
          // Less the header row, written when the table is made.
          written = excel.syncs.flatMap((s) => s.ops).reduce((sum, op) => sum + rowsIn(op), 0) - 1;
        }
        return undefined; // fall through to the fixture
      }),
    );
    await insertTable({ ...ctx, workbook: new ExcelWorkbook(excel.run, limits) }, customers, 'basic');
    return written;
  }

  it('writes rows as pages arrive: a block as soon as it is full, before the next page is asked for', async () => {
    // A block per row: the two pages already fetched are in Excel when the third is asked for.
    expect(await rowsWrittenBeforePage3({ firstRows: 1, maxRows: 1, maxBytes: Infinity })).toBe(4);
  });

  it('holds rows until their block is full, so one sync carries many pages (blocks of ~3.5 MB)', async () => {
    // Five small rows never fill the first 5,000-row block: all of them go in one sync, at the end.
    expect(await rowsWrittenBeforePage3()).toBe(0);
    const valueSyncs = excel.syncs.filter((s) => s.ops.some((op) => /^(values|rows\.add) \d+x/.test(op)));
    expect(valueSyncs.map((s) => s.ops.filter((op) => /^(values|rows\.add) /.test(op)))).toEqual([['values 1x2'], ['values 5x2']]);
  });

  it('a small pull makes its table in four syncs: the sheet names, the sheet, its one block (which reads the table names), the table', async () => {
    await insertTable(ctx, customers, 'basic');
    const made = excel.syncs.findIndex((s) => s.ops.includes('tables.add'));
    expect(excel.syncs.slice(0, made + 1).map((s) => s.ops)).toEqual([[], ['values 1x2'], ['values 5x2'], ['tables.add']]);
  });

  it('detail: each sub-resource becomes a linked child table whose rows carry the parent key', async () => {
    const binding = await insertTable(ctx, customers, 'detail');
    expect(excel.tableValues(binding.tableId)[0]).toEqual(['Code', 'Name', 'Sales Rep', 'Credit Limit', 'Since']);
    expect(binding.children).toHaveLength(1);
    const child = excel.tableById(binding.children[0]!.tableId)!;
    expect(child.name).toBe('Customers_Delivery_Addresses');
    expect(excel.tableValues(child.id)).toEqual([
      ['Code', 'Line', 'City'],
      ['C001', 'Main St 1', 'Oslo'],
      ['C001', 'Dock 4', 'Bergen'],
      ['C003', 'Hill 9', 'Trondheim'],
      ['C005', 'Quay 2', 'Oslo'],
    ]);
  });

  it('expanded: a coded field becomes two columns, code and label', async () => {
    const binding = await insertTable(ctx, customers, 'expanded');
    const values = excel.tableValues(binding.tableId);
    expect(values[0]!.slice(0, 4)).toEqual(['Code', 'Name', 'Sales Rep Code', 'Sales Rep']);
    // "01" stays text: a code is not a number.
    expect(values[1]!.slice(0, 4)).toEqual(['C001', 'Acme', '01', '01 - John Smith']);
  });

  it('a failure midway removes the half-written tables and binds nothing', async () => {
    server.use(http.get(`${BASE}/v1/tables/customers`, ({ request }) =>
      new URL(request.url).searchParams.get('cursor') === 'c2' ? HttpResponse.error() : undefined,
    ));
    const error = await insertTable(ctx, customers, 'detail').catch((e: unknown) => e);
    expect(isPaneError(error, 'unreachable')).toBe(true);
    expect(excel.tables).toHaveLength(0);
    expect(excel.sheets.map((s) => s.name)).toEqual(['Sheet1']);
    expect(await bindings.load()).toEqual([]);
  });

  it('cancel stops the pull and leaves nothing behind', async () => {
    const controller = new AbortController();
    const error = await insertTable({ ...ctx, signal: controller.signal, onProgress: () => controller.abort() }, customers, 'basic').catch(
      (e: unknown) => e,
    );
    expect(isPaneError(error, 'cancelled')).toBe(true);
    expect(excel.tables).toHaveLength(0);
  });
});

describe('refreshTable', () => {
  it('rewrites the table in place with the latest rows', async () => {
    const binding = await insertTable(ctx, customers, 'basic');
    excel.moveTable(binding.tableId, 4, 3);
    server.use(
      http.get(`${BASE}/v1/tables/customers`, () =>
        HttpResponse.json({ table: 'customers', format: 'basic', columns: [{ name: 'Code', type: 'string' }, { name: 'Name', type: 'string' }], rows: [{ Code: 'C009', Name: 'Zed' }], nextCursor: null }),
      ),
    );
    const { binding: updated, missingColumns } = await refreshTable({ ...ctx, now: () => new Date('2024-06-01T00:00:00Z') }, binding);
    expect(missingColumns).toEqual([]);
    expect(excel.tableValues(binding.tableId)).toEqual([['Code', 'Name'], ['C009', 'Zed']]);
    expect(excel.tableById(binding.tableId)).toMatchObject({ row: 4, col: 3 });
    expect(updated.lastRefreshed).toBe('2024-06-01T00:00:00.000Z');
    expect((await bindings.load())[0]!.lastRefreshed).toBe('2024-06-01T00:00:00.000Z');
  });

  it('a refused refresh never blanks the table already in the sheet', async () => {
    const binding = await insertTable(ctx, customers, 'detail');
    const before = excel.tableValues(binding.tableId);
    const childBefore = excel.tableValues(binding.children[0]!.tableId);
    revokeEverything();
    const error = await refreshTable(ctx, binding).catch((e: unknown) => e);
    expect(isPaneError(error, 'credentials_revoked')).toBe(true);
    expect(excel.tableValues(binding.tableId)).toEqual(before);
    expect(excel.tableValues(binding.children[0]!.tableId)).toEqual(childBefore);
  });

  it('a refresh that breaks on a later page leaves the table as it was', async () => {
    const binding = await insertTable(ctx, customers, 'basic');
    const before = excel.tableValues(binding.tableId);
    server.use(http.get(`${BASE}/v1/tables/customers`, ({ request }) =>
      new URL(request.url).searchParams.get('cursor') ? HttpResponse.error() : undefined,
    ));
    await expect(refreshTable(ctx, binding)).rejects.toMatchObject({ code: 'unreachable' });
    expect(excel.tableValues(binding.tableId)).toEqual(before);
  });

  it('makes a child table again when the analyst deleted it', async () => {
    const binding = await insertTable(ctx, customers, 'detail');
    excel.tables = excel.tables.filter((t) => t.id !== binding.children[0]!.tableId);
    const { binding: updated } = await refreshTable(ctx, binding);
    expect(updated.children).toHaveLength(1);
    expect(updated.children[0]!.tableId).not.toBe(binding.children[0]!.tableId);
    expect(excel.tableValues(updated.children[0]!.tableId)).toHaveLength(5);
  });

  it('forgets a binding whose table the analyst deleted, and says so', async () => {
    const binding = await insertTable(ctx, customers, 'basic');
    excel.tables = [];
    const error = await refreshTable(ctx, binding).catch((e: unknown) => e);
    expect(isPaneError(error, 'table_missing')).toBe(true);
    expect((error as Error).message).toContain('Customers');
    expect(await bindings.load()).toEqual([]);
  });
});

describe('bound tables whose id changed', () => {
  it('refresh finds the table by its name, and the binding follows the new id (one binding, not two)', async () => {
    const binding = await insertTable(ctx, customers, 'detail');
    excel.reissueTableIds();
    const { binding: updated } = await refreshTable(ctx, binding);
    expect(updated.tableId).not.toBe(binding.tableId);
    expect(excel.tableById(updated.tableId)!.name).toBe('Customers');
    expect(updated.children.map((c) => excel.tableById(c.tableId)?.name)).toEqual(['Customers_Delivery_Addresses']);
    expect((await bindings.load()).map((b) => b.tableId)).toEqual([updated.tableId]);
  });

  it('a table found by neither id nor name: the binding is removed with a message naming the table, never silently', async () => {
    const binding = await insertTable(ctx, customers, 'basic');
    excel.reissueTableIds();
    excel.tableById('Customers')!.name = 'Renamed_elsewhere';
    const error = await refreshTable(ctx, binding).catch((e: unknown) => e);
    expect(isPaneError(error, 'table_missing')).toBe(true);
    expect((error as Error).message).toBe(paneMessages.tableMissing('Customers'));
    expect(await bindings.load()).toEqual([]);
  });
});

describe('chosen columns', () => {
  /** The connector now sends customers without some columns (a lowered grant, a removed field). */
  function connectorDrops(...gone: string[]) {
    server.use(
      http.get(`${BASE}/v1/tables/customers`, ({ request }) => {
        const format = (new URL(request.url).searchParams.get('format') ?? 'basic') as DataFormat;
        const page = pagesOf(format)[0]!;
        return HttpResponse.json({
          ...page,
          columns: page.columns.filter((c) => !gone.includes(c.name)),
          rows: customerRows(format).map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !gone.includes(k)))),
          nextCursor: null,
        });
      }),
    );
  }

  it('inserts only the chosen columns, and remembers them in the binding', async () => {
    const binding = await insertTable(ctx, customers, 'standard', ['Code', 'Credit Limit', 'Name']);
    expect(excel.tableValues(binding.tableId).slice(0, 2)).toEqual([
      ['Code', 'Name', 'Credit Limit'],
      ['C001', 'Acme', 1000],
    ]);
    expect(binding.columns).toEqual(['Code', 'Name', 'Credit Limit']);
    expect((await bindings.load())[0]!.columns).toEqual(['Code', 'Name', 'Credit Limit']);
  });

  it('all columns (null) pins nothing, so columns the connector adds later arrive on refresh', async () => {
    const binding = await insertTable(ctx, customers, 'standard');
    expect(binding).not.toHaveProperty('columns');
    expect((await bindings.load())[0]).not.toHaveProperty('columns');
  });

  it('a sub-resource left out at detail makes no child table', async () => {
    const binding = await insertTable(ctx, customers, 'detail', ['Code', 'Name']);
    expect(binding.children).toEqual([]);
    expect(excel.tables.map((t) => t.name)).toEqual(['Customers']);
  });

  it('Refresh pulls the same columns again', async () => {
    const binding = await insertTable(ctx, customers, 'standard', ['Code', 'Sales Rep']);
    const [stored] = await bindings.load();
    const { binding: updated, missingColumns } = await refreshTable(ctx, stored!);
    expect(missingColumns).toEqual([]);
    expect(updated.columns).toEqual(['Code', 'Sales Rep']);
    expect(excel.tableValues(binding.tableId)).toHaveLength(6);
    expect(excel.tableValues(binding.tableId)[0]).toEqual(['Code', 'Sales Rep']);
  });

  it('a chosen column that vanished: the others are refreshed, the gone one is named, the choice kept', async () => {
    const binding = await insertTable(ctx, customers, 'standard', ['Code', 'Name', 'Sales Rep']);
    connectorDrops('Sales Rep');
    const result = await refreshTable(ctx, binding);
    expect(result.missingColumns).toEqual(['Sales Rep']);
    expect(excel.tableValues(binding.tableId)[0]).toEqual(['Code', 'Name']);
    expect(excel.tableValues(binding.tableId)).toHaveLength(6);
    // Still chosen: if access comes back, so does the column.
    expect((await bindings.load())[0]!.columns).toEqual(['Code', 'Name', 'Sales Rep']);
    expect(paneMessages.columnsGone(result.binding.title, result.missingColumns)).toBe(
      'Customers: the column "Sales Rep" is no longer available to you, so it was left out and the other columns were refreshed. Ask your administrator if you still need it.',
    );

    server.resetHandlers();
    const back = await refreshTable(ctx, binding);
    expect(back.missingColumns).toEqual([]);
    expect(excel.tableValues(binding.tableId)[0]).toEqual(['Code', 'Name', 'Sales Rep']);
  });

  it('every chosen column gone: a plain refusal naming them, and the table is left as it was', async () => {
    const binding = await insertTable(ctx, customers, 'standard', ['Sales Rep', 'Since']);
    const before = excel.tableValues(binding.tableId);
    connectorDrops('Sales Rep', 'Since');
    const error = await refreshTable(ctx, binding).catch((e: unknown) => e);
    expect(isPaneError(error, 'columns_missing')).toBe(true);
    expect((error as Error).message).toContain('"Sales Rep" and "Since"');
    expect(excel.tableValues(binding.tableId)).toEqual(before);
  });

  it('refreshAll reports the gone columns per table and goes on', async () => {
    const first = await insertTable(ctx, customers, 'standard', ['Code', 'Since']);
    const second = await insertTable(ctx, customers, 'standard');
    connectorDrops('Since');
    const result = await refreshAll(ctx, [first, second]);
    expect(result.failures).toEqual([]);
    expect(result.refreshed.map((r) => r.missingColumns)).toEqual([['Since'], []]);
  });
});

describe('refreshAll', () => {
  it('goes on past a table-level refusal, and stops at a connection-level one', async () => {
    const first = await insertTable(ctx, customers, 'basic');
    const second = await insertTable(ctx, customers, 'standard');
    server.use(
      http.get(`${BASE}/v1/tables/customers`, ({ request }) =>
        new URL(request.url).searchParams.get('format') === 'basic'
          ? HttpResponse.json({ error: { code: 'no_access', message: 'No.' } }, { status: 403 })
          : undefined,
      ),
    );
    const partly = await refreshAll(ctx, [first, second]);
    expect(partly.failures.map((f) => f.error.code)).toEqual(['no_access']);
    expect(partly.refreshed.map((r) => r.binding.tableId)).toEqual([second.tableId]);
    expect(partly.stoppedBy).toBeNull();

    revokeEverything();
    const stopped = await refreshAll(ctx, [first, second]);
    expect(stopped.failures).toHaveLength(1);
    expect(stopped.stoppedBy?.message).toBe('Your API access was revoked. Ask your administrator to authorize you again.');
  });
});

describe('secrets never reach the workbook', () => {
  it('no token or key in cells, settings, table or sheet names after insert and refresh', async () => {
    const binding = await insertTable(ctx, customers, 'detail');
    await refreshTable(ctx, binding);
    const stored = excel.everythingStored();
    expect(stored).toContain('customers'); // the binding is there...
    expect(excel.settings.has(SETTINGS_KEY)).toBe(true);
    expect(stored).not.toContain(CREDENTIALS.token); // ...and nothing secret with it
    expect(stored).not.toContain(CREDENTIALS.key);
    expect(stored).not.toContain('sgk_');
  });
});
