import type { DataFormat, TablePage, TableSummary } from '../../connector/contract';
import { removeBinding, targetOf, upsertBinding, type Binding, type BindingStore, type ChildBinding } from './bindings';
import { keptColumns, missingColumns, type ColumnChoice } from './column-choice';
import type { ConnectorClient } from './connector';
import { CREDENTIALS_REFUSED, isPaneError, PaneError, paneMessages } from './errors';
import { insertSelection, refreshSelection, type RowFilter } from './selection';
import { layoutOf, shapeRows, type Layout } from './shape';
import type { TableRef, TableWriter, Workbook } from './workbook/port';

export interface PullContext {
  client: ConnectorClient;
  workbook: Workbook;
  bindings: BindingStore;
  signal?: AbortSignal;
  /** Records received so far in this pull. */
  onProgress?: (rows: number) => void;
  now?: () => Date;
}

/**
 * Pulls a table into new workbook tables (the table, then one linked child table per chosen
 * sub-resource), writing each page as it arrives. On failure or cancel, the half-written tables are
 * removed. `chosen` limits the columns (null: all of them) and is remembered for Refresh.
 */
export async function insertTable(
  ctx: PullContext,
  summary: TableSummary,
  format: DataFormat,
  chosen: ColumnChoice = null,
  filter: RowFilter | null = null,
): Promise<Binding> {
  const writers: TableWriter[] = [];
  let layout: Layout | null = null;
  let pinned: string[] | undefined;
  let received = 0;
  try {
    for await (const page of ctx.client.pages(summary.id, format, { signal: ctx.signal, ...insertSelection(chosen, filter) })) {
      if (!layout) {
        layout = checkedLayout(page, chosen, summary.title);
        // Only what the table really holds is pinned: a name chosen a moment ago that the connector
        // no longer sends would otherwise be reported missing on every refresh.
        if (chosen) pinned = keptColumns(page.columns, chosen).map((c) => c.name);
        writers.push(await ctx.workbook.create(summary.title, layout.columns));
        for (const child of layout.children) {
          writers.push(await ctx.workbook.create(`${summary.title} ${child.source}`, child.columns));
        }
      }
      await writeShaped(writers, layout, page);
      received += page.rows.length;
      ctx.onProgress?.(received);
    }
    const [main, ...children] = await finishAll(writers);
    const binding: Binding = {
      tableId: main!.id,
      tableName: main!.name,
      width: main!.width,
      table: summary.id,
      title: summary.title,
      format,
      lastRefreshed: stamp(ctx),
      children: layout!.children.map((child, i) => childOf(child.source, children[i]!)),
      ...(pinned ? { columns: pinned } : {}),
      ...(filter ? { filter } : {}),
    };
    await upsertBinding(ctx.bindings, binding);
    return binding;
  } catch (error) {
    await Promise.allSettled(writers.map((w) => w.abort()));
    throw error;
  }
}

export interface RefreshResult {
  binding: Binding;
  /** Chosen columns the connector no longer sends: left out of this refresh, still remembered. */
  missingColumns: string[];
}

/**
 * Pulls the bound table again (the same chosen columns) and rewrites its workbook tables in place.
 * Every page is fetched before the workbook is touched: a refused or broken pull (revoked,
 * unreachable, cancelled) never blanks what the analyst already has.
 */
export async function refreshTable(ctx: PullContext, binding: Binding): Promise<RefreshResult> {
  const pages: TablePage[] = [];
  let received = 0;
  const selection = await refreshSelection(ctx.client, binding, ctx.signal);
  for await (const page of ctx.client.pages(binding.table, binding.format, { signal: ctx.signal, ...selection })) {
    pages.push(page);
    received += page.rows.length;
    ctx.onProgress?.(received);
  }
  const chosen = binding.columns ?? null;
  const layout = checkedLayout(pages[0], chosen, binding.title);
  const shaped = pages.map((page) => shapeRows(layout, page.rows));

  let main: TableWriter;
  try {
    main = await ctx.workbook.replace(targetOf(binding), layout.columns);
  } catch (error) {
    if (!isPaneError(error, 'table_missing')) throw error;
    // Not found by id nor by name: the analyst is told it was taken off the list.
    await removeBinding(ctx.bindings, binding.tableId);
    throw new PaneError('table_missing', paneMessages.tableMissing(binding.tableName ?? binding.title));
  }
  // Every table is looked at (missing? filtered?) before any is written: a refusal changes nothing.
  const writers: TableWriter[] = [];
  for (const child of layout.children) writers.push(await childWriter(ctx.workbook, binding, child.source, child.columns));
  for (const s of shaped) await main.append(s.rows);
  const ref = await main.finish();
  // Found by name, the table has a new id: the binding follows it.
  if (ref.id !== binding.tableId) await removeBinding(ctx.bindings, binding.tableId);

  const children: ChildBinding[] = [];
  for (const [i, child] of layout.children.entries()) {
    const writer = writers[i]!;
    for (const s of shaped) await writer.append(s.children[i]!);
    children.push(childOf(child.source, await writer.finish()));
  }
  // A child the connector no longer sends stays in the workbook, still linked: nothing is deleted.
  const kept = binding.children.filter((c) => !children.some((n) => n.source === c.source));
  const updated: Binding = {
    ...binding,
    tableId: ref.id,
    tableName: ref.name,
    width: ref.width,
    lastRefreshed: stamp(ctx),
    children: [...children, ...kept],
  };
  await upsertBinding(ctx.bindings, updated);
  return { binding: updated, missingColumns: missingColumns(pages[0]!.columns, chosen) };
}

export interface RefreshAllResult {
  refreshed: RefreshResult[];
  failures: { binding: Binding; error: PaneError }[];
  /** Set when a failure concerned the connection itself, so the remaining tables were not tried. */
  stoppedBy: PaneError | null;
}

/** Failures that no other table would escape: trying the rest would only repeat them. */
const CONNECTION_CODES = new Set([
  ...CREDENTIALS_REFUSED,
  'rate_limited',
  'unreachable',
  'bad_response',
  'cancelled',
]);

/** Refreshes every bound table in turn; a table-level failure (no access, tier) does not stop the rest. */
export async function refreshAll(ctx: PullContext, bindings: Binding[]): Promise<RefreshAllResult> {
  const result: RefreshAllResult = { refreshed: [], failures: [], stoppedBy: null };
  for (const binding of bindings) {
    try {
      result.refreshed.push(await refreshTable(ctx, binding));
    } catch (error) {
      const failure = asPaneError(error);
      result.failures.push({ binding, error: failure });
      if (CONNECTION_CODES.has(failure.code)) {
        result.stoppedBy = failure;
        break;
      }
    }
  }
  return result;
}

/** Anything thrown below the pane (office.js, the DOM) as a PaneError with plain words. */
export function asPaneError(error: unknown): PaneError {
  if (error instanceof PaneError) return error;
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new PaneError(
    'excel_failed',
    `Excel could not finish writing the table${detail}. Try again; if it keeps failing, try in a new worksheet or workbook.`,
  );
}

async function childWriter(workbook: Workbook, binding: Binding, source: string, columns: Layout['columns']): Promise<TableWriter> {
  const bound = binding.children.find((c) => c.source === source);
  if (bound) {
    try {
      return await workbook.replace(targetOf(bound), columns);
    } catch (error) {
      if (!isPaneError(error, 'table_missing')) throw error;
      // The analyst deleted the child table: make it again rather than fail the parent's refresh.
    }
  }
  return workbook.create(`${binding.title} ${source}`, columns);
}

function childOf(source: string, ref: TableRef): ChildBinding {
  return { source, tableId: ref.id, tableName: ref.name, width: ref.width };
}

function stamp(ctx: PullContext): string {
  return (ctx.now?.() ?? new Date()).toISOString();
}

function checkedLayout(page: TablePage | undefined, chosen: ColumnChoice, title: string): Layout {
  const layout = page ? layoutOf(page.columns, page.format, chosen) : null;
  if (layout && layout.columns.length > 0) return layout;
  if (page && page.columns.length > 0 && keptColumns(page.columns, chosen).length === 0) {
    throw new PaneError('columns_missing', paneMessages.noChosenColumns(title, chosen ?? []));
  }
  throw new PaneError('bad_response', 'The connector sent a table without columns. Tell your administrator.');
}

async function writeShaped(writers: TableWriter[], layout: Layout, page: TablePage): Promise<void> {
  const shaped = shapeRows(layout, page.rows);
  await writers[0]!.append(shaped.rows);
  for (const [i, rows] of shaped.children.entries()) await writers[i + 1]!.append(rows);
}

async function finishAll(writers: TableWriter[]): Promise<TableRef[]> {
  const refs: TableRef[] = [];
  for (const writer of writers) refs.push(await writer.finish());
  return refs;
}
