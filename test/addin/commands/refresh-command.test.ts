import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { refreshAllCommand } from '../../../addin/src/commands/refresh-command';
import { RefreshOnOpen } from '../../../addin/src/commands/refresh-on-open';
import type { TaskOutcome } from '../../../addin/src/controller';
import { excelFlagStore, REFRESH_ON_OPEN_KEY, type BindingStore } from '../../../addin/src/bindings';
import { asPaneError, insertTable, refreshAll, type PullContext } from '../../../addin/src/pull';
import { refreshAllMessage } from '../../../addin/src/summaries';
import { BASE, connectorHandlers, pagesOf, tables } from '../connector-fixture';
import type { FakeExcel } from '../fake-excel';
import { fakeExcelPull } from '../pull-fixture';

/**
 * The ribbon's Refresh all and refresh on open, against the fake Excel. `refresh` is the pane's
 * Refresh all without its DOM: pull.refreshAll over every binding, worded by refreshAllMessage, as
 * PaneController.refreshAll does (the controller itself runs in the browser tests).
 */
const server = setupServer(...connectorHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let excel: FakeExcel;
let bindings: BindingStore;
let ctx: PullContext;

beforeEach(() => {
  ({ excel, bindings, ctx } = fakeExcelPull());
});

async function paneRefreshAll(): Promise<TaskOutcome> {
  try {
    return { ok: true, message: refreshAllMessage(await refreshAll(ctx, await bindings.load())) };
  } catch (error) {
    return { ok: false, message: asPaneError(error).message };
  }
}

function revoke() {
  server.use(http.get(`${BASE}/v1/*`, () => HttpResponse.json({ error: { code: 'credentials_revoked', message: 'Revoked.' } }, { status: 401 })));
}

/** Changes the connector's rows so a refresh shows up in the workbook. */
function renameAcme() {
  const page = { ...pagesOf('basic')[0]!, rows: [{ Code: 'C001', Name: 'Acme Renamed' }], nextCursor: null };
  server.use(http.get(`${BASE}/v1/tables/customers`, () => HttpResponse.json(page)));
}

describe('ribbon Refresh all', () => {
  it('refreshes every bound table, shows the pane with the outcome, and tells Excel it is done', async () => {
    const binding = await insertTable(ctx, tables[0]!, 'basic');
    renameAcme();
    const calls: string[] = [];
    const command = refreshAllCommand({
      started: Promise.resolve(),
      refresh: paneRefreshAll,
      showPane: async () => void calls.push('showPane'),
    });
    const outcome = await command({ completed: () => calls.push('completed') });
    expect(outcome).toEqual({ ok: true, message: 'Refreshed 1 table.' });
    expect(excel.tableValues(binding.tableId)).toEqual([
      ['Code', 'Name'],
      ['C001', 'Acme Renamed'],
    ]);
    expect(calls).toEqual(['showPane', 'completed']);
  });

  it('revoked: the tables stay exactly as they were, and the message says what to do', async () => {
    const binding = await insertTable(ctx, tables[0]!, 'basic');
    const before = excel.tableValues(binding.tableId);
    revoke();
    const calls: string[] = [];
    const command = refreshAllCommand({ started: Promise.resolve(), refresh: paneRefreshAll, showPane: async () => void calls.push('showPane') });
    const outcome = await command({ completed: () => calls.push('completed') });
    expect(outcome).toEqual({ ok: false, message: 'Your API access was revoked. Ask your administrator to authorize you again.' });
    expect(excel.tableValues(binding.tableId)).toEqual(before);
    expect(calls).toEqual(['showPane', 'completed']);
  });

  it('waits for the pane to start, and completes even when the refresh throws', async () => {
    let startedYet = false;
    const started = new Promise<void>((resolve) => setTimeout(() => resolve(void (startedYet = true)), 20));
    let completed = 0;
    const command = refreshAllCommand({
      started,
      refresh: async () => {
        expect(startedYet).toBe(true);
        throw new Error('boom');
      },
      showPane: async () => undefined,
    });
    await expect(command({ completed: () => completed++ })).rejects.toThrow('boom');
    expect(completed).toBe(1);
  });
});

describe('refresh when the workbook opens', () => {
  function onOpen(startup: boolean[], shown: string[]) {
    return new RefreshOnOpen({
      flag: excelFlagStore(excel.run, REFRESH_ON_OPEN_KEY),
      setStartup: async (load) => void startup.push(load),
      refresh: paneRefreshAll,
      showPane: async () => void shown.push('pane'),
    });
  }

  it('is kept in the workbook and sets the startup behaviour; off, nothing is refreshed', async () => {
    const startup: boolean[] = [];
    const shown: string[] = [];
    const setting = onOpen(startup, shown);
    expect(await setting.runIfOn()).toBeNull();
    await setting.set(true);
    expect(excel.settings.get(REFRESH_ON_OPEN_KEY)).toBe(true);
    await setting.set(false);
    expect(excel.settings.get(REFRESH_ON_OPEN_KEY)).toBe(false);
    expect(startup).toEqual([true, false]);
    expect(await setting.runIfOn()).toBeNull();
  });

  it('on: refreshes at start; success stays quiet, a failure shows the pane and keeps the tables', async () => {
    const binding = await insertTable(ctx, tables[0]!, 'basic');
    const shown: string[] = [];
    const setting = onOpen([], shown);
    await setting.set(true);
    renameAcme();
    expect(await setting.runIfOn()).toEqual({ ok: true, message: 'Refreshed 1 table.' });
    expect(shown).toEqual([]);
    const refreshed = excel.tableValues(binding.tableId);
    expect(refreshed[1]).toEqual(['C001', 'Acme Renamed']);
    revoke();
    expect((await setting.runIfOn())?.ok).toBe(false);
    expect(shown).toEqual(['pane']);
    expect(excel.tableValues(binding.tableId)).toEqual(refreshed);
  });
});
