import { isFormat, type DataFormat } from '../../connector/contract';
import type { RowFilter } from './selection';
import type { ExcelRun } from './workbook/excel';
import type { TableTarget } from './workbook/port';

// What the workbook remembers, in its settings (saved inside the file): the bindings, and whether to
// refresh on open. The only module that touches workbook settings, so no secret can slip in elsewhere.

/**
 * What the workbook remembers about a table the pane wrote, so Refresh works after the file is
 * reopened by anyone, with their own credentials. No secret ever goes in here: it is saved in the file.
 */
export interface Binding {
  /** The workbook's id of the table (Excel's table id, or the preview's). */
  tableId: string;
  /**
   * The table's name when last written: Excel promises ids unique only "in a given workbook", so
   * a table whose id is not found is looked up by this name before the binding is given up.
   */
  tableName?: string;
  /** Columns the pane wrote, from the left; columns right of them are the analyst's and stay. */
  width?: number;
  /** The connector's table id, e.g. "customers". */
  table: string;
  /** The connector's title, for naming tables created later (e.g. a new child table). */
  title: string;
  format: DataFormat;
  lastRefreshed: string;
  /** Linked child tables, one per sub-resource column. */
  children: ChildBinding[];
  /**
   * The connector columns the analyst chose, so Refresh pulls the same ones; absent = every column.
   * Kept as chosen even when the connector stops sending one, so it comes back if access returns.
   */
  columns?: string[];
  /** "Only rows where FIELD is VALUE", sent as `filter[FIELD]=VALUE` on every pull; absent = every row. */
  filter?: RowFilter;
}

export interface ChildBinding {
  source: string;
  tableId: string;
  tableName?: string;
  width?: number;
}

export interface BindingStore {
  load(): Promise<Binding[]>;
  save(bindings: Binding[]): Promise<void>;
}

/** The key in the workbook's settings (saved inside the file). */
export const SETTINGS_KEY = 'sheetgate.bindings';

export function excelBindingStore(run: ExcelRun): BindingStore {
  return {
    load: () =>
      run(async (context) => {
        const setting = context.workbook.settings.getItemOrNullObject(SETTINGS_KEY).load('value');
        await context.sync();
        return setting.isNullObject ? [] : parseBindings(setting.value);
      }),
    save: (bindings) =>
      run(async (context) => {
        context.workbook.settings.add(SETTINGS_KEY, JSON.stringify(bindings.map(onlyBindingFields)));
        await context.sync();
      }),
  };
}

/** The workbook setting that asks for "Refresh when this workbook opens" (commands/refresh-on-open.ts). */
export const REFRESH_ON_OPEN_KEY = 'sheetgate.refreshOnOpen';

/** A yes/no the workbook remembers. */
export interface FlagStore {
  load(): Promise<boolean>;
  save(on: boolean): Promise<void>;
}

export function excelFlagStore(run: ExcelRun, key: string): FlagStore {
  return {
    load: () =>
      run(async (context) => {
        const setting = context.workbook.settings.getItemOrNullObject(key).load('value');
        await context.sync();
        return !setting.isNullObject && setting.value === true;
      }),
    save: (on) =>
      run(async (context) => {
        context.workbook.settings.add(key, on);
        await context.sync();
      }),
  };
}

/** Outside Office the preview tables live as long as the page, and so do their bindings. */
export function memoryBindingStore(): BindingStore {
  let saved = '[]';
  return {
    load: async () => parseBindings(saved),
    save: async (bindings) => {
      saved = JSON.stringify(bindings.map(onlyBindingFields));
    },
  };
}

/** Adds or replaces the binding for `binding.tableId`. */
export async function upsertBinding(store: BindingStore, binding: Binding): Promise<void> {
  const others = (await store.load()).filter((b) => b.tableId !== binding.tableId);
  await store.save([...others, binding]);
}

export async function removeBinding(store: BindingStore, tableId: string): Promise<void> {
  const all = await store.load();
  await store.save(all.filter((b) => b.tableId !== tableId));
}

/** Reads saved bindings, dropping anything malformed (the file may have been edited or be older). */
export function parseBindings(value: unknown): Binding[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): Binding[] => {
    if (typeof item !== 'object' || item === null) return [];
    const b = item as Partial<Binding>;
    const format: unknown = b?.format;
    const valid =
      typeof b.tableId === 'string' &&
      typeof b.table === 'string' &&
      typeof b.title === 'string' &&
      isFormat(format) &&
      format !== 'none' &&
      typeof b.lastRefreshed === 'string';
    if (!valid) return [];
    const children = Array.isArray(b.children)
      ? b.children.filter((c) => typeof c?.source === 'string' && typeof c?.tableId === 'string')
      : [];
    // Older bindings have neither: then the id alone finds the table, and every column is the pane's.
    // A malformed or empty choice falls back to every column: refreshing too much beats refreshing nothing.
    const columns =
      Array.isArray(b.columns) && b.columns.length > 0 && b.columns.every((c) => typeof c === 'string') ? b.columns : undefined;
    // A malformed filter is dropped rather than guessed at; the next refresh then shows every row.
    const filter = typeof b.filter?.field === 'string' && b.filter.field !== '' && typeof b.filter.value === 'string' ? b.filter : undefined;
    return [onlyBindingFields({ ...(b as Binding), children, columns, filter })];
  });
}

/** Copies the known fields only, so nothing else can ride along into the file. */
function onlyBindingFields(b: Binding): Binding {
  return {
    tableId: b.tableId,
    ...located(b),
    table: b.table,
    title: b.title,
    format: b.format,
    lastRefreshed: b.lastRefreshed,
    children: b.children.map((c) => ({ source: c.source, tableId: c.tableId, ...located(c) })),
    ...(b.columns ? { columns: [...b.columns] } : {}),
    ...(b.filter ? { filter: { field: b.filter.field, value: b.filter.value } } : {}),
  };
}

/** `tableName` and `width` when they are well-formed, else nothing. */
function located(b: { tableName?: unknown; width?: unknown }): { tableName?: string; width?: number } {
  return {
    ...(typeof b.tableName === 'string' && b.tableName ? { tableName: b.tableName } : {}),
    ...(typeof b.width === 'number' && Number.isInteger(b.width) && b.width > 0 ? { width: b.width } : {}),
  };
}

/** How the workbook is asked for a bound table: by id, with the name and width it remembers. */
export function targetOf(b: { tableId: string; tableName?: string; width?: number }): TableTarget {
  return { id: b.tableId, ...(b.tableName ? { name: b.tableName } : {}), ...(b.width ? { width: b.width } : {}) };
}
