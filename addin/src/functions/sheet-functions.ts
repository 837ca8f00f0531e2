import { isFormat, type CellValue, type Column, type DataFormat, type Row, type TablePage } from '../../../connector/contract';
import { ConnectorClient, type FetchLike } from '../connector';
import { paneMessages } from '../errors';
import type { PastedCredentials } from '../paste';
import { asPaneError } from '../pull';
import { layoutOf, shapeRows } from '../shape';
import { RecalcCache } from './recalc-cache';

// What =SHEETGATE.LOOKUP and =SHEETGATE.ROWS compute, apart from Excel: plain values in, cells or a
// FunctionFailure out (register.ts turns a failure into Excel's error). The connector pair is the
// pane's (its CredentialStore): a formula, a cell or the metadata never holds one.

/** ROWS spills at most this many rows (the connector's largest page): one request per table. */
export const ROWS_LIMIT = 10_000;
/** How long a fetched table serves the calls of one recalculation. */
export const RECALC_WINDOW_MS = 2_000;

/** What a function puts in a cell: blanks are empty text, as Excel shows them. */
export type Value = string | number | boolean;

export type FailureKind = 'notAvailable' | 'invalidValue';

/** Why a function has no value: `notAvailable` (#N/A) for a row that is not there, else #VALUE!. */
export class FunctionFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'FunctionFailure';
  }
}

export interface FunctionDeps {
  /** The pane's credentials in use or remembered; null when the analyst has not connected. */
  credentials: () => PastedCredentials | null;
  fetchFn?: FetchLike;
  windowMs?: number;
}

interface KeyedTable {
  columns: Column[];
  byKey: Map<string, Row>;
}

export class SheetFunctions {
  private readonly tables: RecalcCache<KeyedTable>;
  private readonly spills: RecalcCache<TablePage>;

  constructor(private readonly deps: FunctionDeps) {
    this.tables = new RecalcCache(deps.windowMs ?? RECALC_WINDOW_MS);
    this.spills = new RecalcCache(deps.windowMs ?? RECALC_WINDOW_MS);
  }

  /**
   * One field of one row. Every LOOKUP of a table and format in one recalculation shares one pull
   * of that table, however many keys and fields they ask for.
   */
  async lookup(table: string, key: unknown, field: string, format?: string | null): Promise<Value> {
    const tableId = text(table, 'table');
    const fieldName = text(field, 'field');
    const wanted = formatOf(format);
    const client = this.client();
    const loaded = await this.tables.get(cacheKey(client, tableId, wanted), () => keyedTable(client, tableId, wanted)).catch(rethrow);
    const row = loaded.byKey.get(keyText(key));
    if (!row) throw new FunctionFailure('notAvailable', `${tableId} has no row with key "${keyText(key)}" that you can see.`);
    return valueOf(loaded.columns, row, fieldName, tableId, wanted);
  }

  /** Header row first, then one row per record, for tables of up to ROWS_LIMIT rows. */
  async rows(table: string, fields?: string | null, format?: string | null, filter?: string | null): Promise<Value[][]> {
    const tableId = text(table, 'table');
    const wanted = formatOf(format);
    const chosen = fieldList(fields);
    const filters = filterOf(filter);
    const client = this.client();
    const key = cacheKey(client, tableId, wanted, JSON.stringify([chosen, filters]));
    const page = await this.spills
      .get(key, () => client.page(tableId, wanted, null, { limit: ROWS_LIMIT, ...(chosen && { fields: chosen }), filters }))
      .catch(rethrow);
    if (page.nextCursor !== null) {
      throw new FunctionFailure(
        'invalidValue',
        `${tableId} has more than ${ROWS_LIMIT.toLocaleString('en-US')} rows for this formula, more than ROWS spills. Narrow it with a filter, or use Insert table in the Sheetgate pane.`,
      );
    }
    const layout = layoutOf(page.columns, page.format, null);
    const body = shapeRows(layout, page.rows).rows.map((cells) => cells.map((cell) => cell ?? ''));
    return [layout.columns.map((column) => column.name), ...body];
  }

  private client(): ConnectorClient {
    const credentials = this.deps.credentials();
    if (!credentials) throw new FunctionFailure('invalidValue', paneMessages.notConnected);
    try {
      return ConnectorClient.create(credentials, { fetchFn: this.deps.fetchFn });
    } catch (error) {
      throw rethrow(error);
    }
  }
}

async function keyedTable(client: ConnectorClient, table: string, format: DataFormat): Promise<KeyedTable> {
  let columns: Column[] = [];
  const byKey = new Map<string, Row>();
  for await (const page of client.pages(table, format)) {
    columns = page.columns;
    // The contract lists the key first.
    const keyName = columns[0]?.name;
    if (keyName === undefined) break;
    for (const row of page.rows) byKey.set(keyText(row[keyName]), row);
  }
  return { columns, byKey };
}

function valueOf(columns: Column[], row: Row, field: string, table: string, format: DataFormat): Value {
  const column = columns.find((c) => c.name === field);
  if (column) {
    if (column.type === 'table') {
      throw new FunctionFailure('invalidValue', `"${field}" holds several rows; use =SHEETGATE.ROWS or Insert table for it.`);
    }
    return cellOf(row[field]);
  }
  // "Sales Rep.Code": a part of a coded field, broken out at expanded.
  const dot = field.lastIndexOf('.');
  const parent = dot > 0 ? columns.find((c) => c.name === field.slice(0, dot)) : undefined;
  const part = field.slice(dot + 1);
  if (parent && (part === 'Code' || part === 'DisplayAs')) {
    const value = row[parent.name];
    if (parent.type === 'coded' && typeof value === 'object' && value !== null && !Array.isArray(value)) return value[part];
    throw new FunctionFailure('invalidValue', `"${parent.name}" has parts only in the expanded format; give "expanded" as the format.`);
  }
  throw new FunctionFailure('invalidValue', `"${field}" is not a column of ${table} in the ${format} format. Check its spelling, or give a higher format.`);
}

function cellOf(value: CellValue | undefined): Value {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return Array.isArray(value) ? '' : value.DisplayAs;
  return value;
}

function text(value: unknown, name: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (!trimmed) throw new FunctionFailure('invalidValue', `Give the ${name}, e.g. "customers".`);
  return trimmed;
}

function keyText(value: unknown): string {
  return typeof value === 'string' ? value.trim() : String(value);
}

function formatOf(value: string | null | undefined): DataFormat {
  const format = (value ?? '').trim().toLowerCase() || 'basic';
  if (!isFormat(format) || format === 'none') {
    throw new FunctionFailure('invalidValue', `"${value}" is not a format; use basic, standard, detail or expanded.`);
  }
  return format;
}

/** "Code, Name" → ["Code", "Name"]; blank = every column. */
function fieldList(value: string | null | undefined): string[] | null {
  const names = (value ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  return names.length ? names : null;
}

/** "Sales Rep=01; Active=true" → {"Sales Rep": "01", Active: "true"}. */
function filterOf(value: string | null | undefined): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const part of (value ?? '').split(';')) {
    if (!part.trim()) continue;
    const at = part.indexOf('=');
    const field = at > 0 ? part.slice(0, at).trim() : '';
    if (!field) throw new FunctionFailure('invalidValue', `Write the filter as FIELD=VALUE, e.g. "Sales Rep=01"; separate several with ";".`);
    filters[field] = part.slice(at + 1).trim();
  }
  return filters;
}

function cacheKey(client: ConnectorClient, ...parts: string[]): string {
  return JSON.stringify([client.endpoint, client.identity, ...parts]);
}

/** The pane's failure, in its plain words, as a #VALUE! error. */
function rethrow(error: unknown): never {
  if (error instanceof FunctionFailure) throw error;
  throw new FunctionFailure('invalidValue', asPaneError(error).message);
}
