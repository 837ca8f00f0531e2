import { createHash } from 'node:crypto';
import type { CellValue, Column, DataFormat } from '../contract';
import { invalidRequest } from '../errors';
import type { StoredRow } from '../store/types';
import { splitCoded } from './coded';
import type { TableDefinition } from './definition';
import { valueReader, type LookupValues } from './projection';

// What a page request selects beyond its format: `fields=` (which top-level columns) and
// `filter[FIELD]=VALUE` (which rows). Conditions are plain data, checked and typed here once, so a
// store that keeps rows in SQL can turn each into a `WHERE` term (a stored field is a column, a
// derived one the definition's `from`); `rowMatcher` is the in-memory reading of the same data.

/** One `filter[FIELD]=VALUE`, its value already read as the field's type. */
export type Condition =
  | { readonly field: string; readonly type: 'string'; readonly equals: string }
  | { readonly field: string; readonly type: 'number'; readonly equals: number }
  | { readonly field: string; readonly type: 'boolean'; readonly equals: boolean }
  /** A day, `YYYY-MM-DD`: matches a stored date (or date-time) written on that day. */
  | { readonly field: string; readonly type: 'date'; readonly equals: string }
  /** Matches the stored display form ("01 - John Smith") or its code ("01"). */
  | { readonly field: string; readonly type: 'coded'; readonly equals: string };

export interface Selection {
  /** Top-level columns to send, in the table's order with the key among them; null = every column. */
  readonly fields: readonly string[] | null;
  /** All must hold; in field-name order, so equal selections are equal data. */
  readonly conditions: readonly Condition[];
}

export interface SelectionQuery {
  /** `fields=` as sent: comma-separated column names. */
  fields?: string;
  /** Every `filter[FIELD]` parameter's values, by FIELD (see `filterParams`). */
  filters?: Readonly<Record<string, readonly string[]>>;
}

const FILTER_PARAM = /^filter\[(.+)\]$/s;

/** The `filter[FIELD]` parameters of a query, by FIELD; any other `filter...` parameter is refused. */
export function filterParams(queries: Readonly<Record<string, readonly string[]>>): Record<string, readonly string[]> {
  const filters: Record<string, readonly string[]> = {};
  for (const [name, values] of Object.entries(queries)) {
    if (!name.startsWith('filter')) continue;
    const field = FILTER_PARAM.exec(name)?.[1];
    if (field === undefined) throw invalidRequest(`Field "${name}": write a filter as filter[FIELD]=VALUE.`);
    filters[field] = values;
  }
  return filters;
}

/**
 * Checks a query's fields and filters against `columns`, what the caller gets of the table at this
 * format: a field above the format (or derived from a setting the caller lacks) is not there, so it
 * can neither be asked for nor filtered by.
 */
export function parseSelection(definition: TableDefinition, columns: readonly Column[], query: SelectionQuery): Selection {
  const table = `table "${definition.id}"`;
  const byName = new Map(columns.map((column) => [column.name, column]));
  let fields: string[] | null = null;
  if (query.fields !== undefined) {
    const wanted = new Set(query.fields.split(',').map((name) => name.trim()).filter((name) => name !== ''));
    if (wanted.size === 0) throw invalidRequest('Field "fields": name at least one column, or leave it out for every column.');
    for (const name of wanted) {
      if (!byName.has(name)) throw invalidRequest(`Field "fields": "${name}" is not a column of ${table} in this format.`);
    }
    wanted.add(definition.key);
    fields = columns.filter((column) => wanted.has(column.name)).map((column) => column.name);
    if (fields.length === columns.length) fields = null;
  }
  const conditions = Object.entries(query.filters ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([field, values]): Condition => {
      const param = `filter[${field}]`;
      if (values.length !== 1) throw invalidRequest(`Field "${param}": give one value per field.`);
      const definitionType = definition.fields.find((f) => f.name === field)?.type;
      if (!byName.has(field) || definitionType === undefined || definitionType === 'table') {
        const scalar = columns.filter((c) => c.type !== 'table').map((c) => c.name);
        throw invalidRequest(`Field "${param}": "${field}" is not a column of ${table} you can filter by in this format; use one of ${scalar.join(', ')}.`);
      }
      return condition(param, field, definitionType, values[0]!);
    });
  return { fields, conditions };
}

function condition(param: string, field: string, type: 'string' | 'number' | 'boolean' | 'date' | 'coded', raw: string): Condition {
  switch (type) {
    case 'string':
    case 'coded':
      return { field, type, equals: raw };
    case 'number': {
      const equals = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
      if (!Number.isFinite(equals)) throw invalidRequest(`Field "${param}": "${field}" is a number; give one such as 1250 or 19.90.`);
      return { field, type, equals };
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalidRequest(`Field "${param}": "${field}" is true or false.`);
      return { field, type, equals: raw === 'true' };
    case 'date':
      if (!isDay(raw)) throw invalidRequest(`Field "${param}": "${field}" is a date; give it as YYYY-MM-DD, such as 2024-05-31.`);
      return { field, type, equals: raw };
  }
}

function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(text);
}

/** The predicate of `conditions` over stored rows, reading derived fields as the projection does; null when there are none. */
export function rowMatcher(
  definition: TableDefinition,
  conditions: readonly Condition[],
  lookups: LookupValues,
): ((row: StoredRow) => boolean) | null {
  if (conditions.length === 0) return null;
  const tests = conditions.map((c) => {
    const read = valueReader(definition.fields.find((f) => f.name === c.field)!);
    return (row: StoredRow) => holds(c, read(row, lookups));
  });
  return (row) => tests.every((test) => test(row));
}

function holds(condition: Condition, value: CellValue): boolean {
  switch (condition.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return value === condition.equals;
    case 'date':
      return typeof value === 'string' && value.slice(0, 10) === condition.equals;
    case 'coded':
      return typeof value === 'string' && (value === condition.equals || splitCoded(value).Code === condition.equals);
  }
}

/** What a cursor is bound to: the format and the selection, as a short digest (filter values may be long). */
export function selectionKey(format: DataFormat, selection: Selection): string {
  const text = JSON.stringify([format, selection.fields, selection.conditions]);
  let key = selectionKeys.get(text);
  if (key === undefined) {
    key = createHash('sha256').update(text).digest('base64url').slice(0, 22);
    // Callers choose fields and filters: the memo is bounded, started again when full.
    if (selectionKeys.size >= MAX_SELECTION_KEYS) selectionKeys.clear();
    selectionKeys.set(text, key);
  }
  return key;
}

/** A page's selection is hashed on every request, and most requests repeat a few selections. */
const selectionKeys = new Map<string, string>();
const MAX_SELECTION_KEYS = 1000;
