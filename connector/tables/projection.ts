import { formatRank, type CellValue, type Column, type DataFormat, type Row } from '../contract';
import type { StoredRow } from '../store/types';
import { splitCoded } from './coded';
import type { FieldDefinition, TableDefinition } from './definition';

// What a format shows of a table: its columns, and a projector that builds each response row from
// a stored row. The field plans are compiled once per definition and format; a request only picks
// the plan and, when the viewer lacks a lookup, drops the fields derived from it.
//
// Serialized rows are kept per plan (and per set of lookups present) for every field set that no
// viewer lookup feeds: JSON.stringify of the projected rows was the largest cost of a page
// (docs/PERFORMANCE.md). They are keyed by the stored row object, which the store replaces on every
// change and never edits in place, so a changed row is serialized afresh and a removed row's text
// goes with it. The cache holds at most one text per stored row per format and field set; field
// sets (`fields=`) are the caller's choice, so only the first few of each plan are cached.

/** Lookup values resolved for one viewer. A lookup missing from the map is blank: its fields are absent. */
export type LookupValues = ReadonlyMap<string, unknown>;

export interface Projection {
  readonly columns: readonly Column[];
  /** `JSON.stringify(columns)`, computed once per plan. */
  readonly columnsJson: string;
  project(row: StoredRow): Row;
  /** Exactly `JSON.stringify(project(row))`; kept per stored row when no field reads a viewer lookup. */
  serialize(row: StoredRow): string;
  /** True when no field reads a viewer lookup: the text depends on the stored row alone. */
  readonly viewerFree: boolean;
}

type Reader = (row: StoredRow, lookups: LookupValues) => CellValue;

interface FieldPlan {
  readonly column: Column;
  /** The lookup a derived field needs. */
  readonly lookup?: string;
  /** True when this field, or a field of its sub-resource, reads a viewer lookup. */
  readonly readsLookups: boolean;
  readonly read: Reader;
}

/** The fields of a plan shown to viewers with a given set of lookups present. */
interface Variant {
  readonly fields: readonly FieldPlan[];
  readonly columns: readonly Column[];
  readonly columnsJson: string;
  /** Serialized rows, or null when a field's value depends on the viewer. */
  readonly serialized: WeakMap<StoredRow, string> | null;
  readonly viewerFree: boolean;
}

interface FormatPlan {
  readonly fields: readonly FieldPlan[];
  readonly columns: readonly Column[];
  /** The lookups the plan's fields are derived from, in field order. */
  readonly lookupNames: readonly string[];
  /** By which of `lookupNames` are present ("1"/"0" each): at most 2^n, n being a handful. */
  readonly variants: Map<string, Variant>;
}

const NO_LOOKUPS: LookupValues = new Map();
/** Variants kept per plan: every lookup combination, and a handful of `fields=` choices. */
const MAX_VARIANTS = 32;
const plans = new WeakMap<TableDefinition, Map<DataFormat, FormatPlan>>();

/** @param only top-level column names to keep (see selection.ts); null keeps every column. */
export function projectionFor(
  definition: TableDefinition,
  format: DataFormat,
  lookups: LookupValues = NO_LOOKUPS,
  only: readonly string[] | null = null,
): Projection {
  const { fields, columns, columnsJson, serialized, viewerFree } = variantFor(planFor(definition, format), lookups, only);
  const project = (row: StoredRow): Row => {
    const out: Row = {};
    for (const field of fields) out[field.column.name] = field.read(row, lookups);
    return out;
  };
  const serialize = serialized
    ? (row: StoredRow): string => {
        let text = serialized.get(row);
        if (text === undefined) {
          text = JSON.stringify(project(row));
          serialized.set(row, text);
        }
        return text;
      }
    : (row: StoredRow): string => JSON.stringify(project(row));
  return { columns, columnsJson, project, serialize, viewerFree };
}

function variantFor(plan: FormatPlan, lookups: LookupValues, only: readonly string[] | null): Variant {
  const present = plan.lookupNames.map((name) => (lookups.has(name) ? '1' : '0')).join('');
  const key = only === null ? present : `${present}\n${JSON.stringify(only)}`;
  let variant = plan.variants.get(key);
  if (!variant) {
    const kept = only === null ? null : new Set(only);
    const fields = plan.fields.filter(
      (field) => (field.lookup === undefined || lookups.has(field.lookup)) && (kept === null || kept.has(field.column.name)),
    );
    const columns = fields.length === plan.fields.length ? plan.columns : Object.freeze(fields.map((field) => field.column));
    const cached = plan.variants.size < MAX_VARIANTS;
    const viewerFree = !fields.some((field) => field.readsLookups);
    variant = Object.freeze({
      fields: Object.freeze(fields),
      columns,
      columnsJson: JSON.stringify(columns),
      serialized: cached && viewerFree ? new WeakMap<StoredRow, string>() : null,
      viewerFree,
    });
    if (cached) plan.variants.set(key, variant);
  }
  return variant;
}

/** Is `field` shown at `format`? Hidden fields never are. */
export function shownAt(field: FieldDefinition, format: DataFormat): boolean {
  return !field.hidden && formatRank(field.format) <= formatRank(format);
}

function planFor(definition: TableDefinition, format: DataFormat): FormatPlan {
  let byFormat = plans.get(definition);
  if (!byFormat) plans.set(definition, (byFormat = new Map()));
  let plan = byFormat.get(format);
  if (!plan) {
    const fields = definition.fields.filter((field) => shownAt(field, format)).map((field) => planField(field, format));
    plan = Object.freeze({
      fields: Object.freeze(fields),
      columns: Object.freeze(fields.map((field) => field.column)),
      lookupNames: Object.freeze([...new Set(fields.flatMap((field) => (field.lookup === undefined ? [] : [field.lookup])))]),
      variants: new Map<string, Variant>(),
    });
    byFormat.set(format, plan);
  }
  return plan;
}

function planField(field: FieldDefinition, format: DataFormat): FieldPlan {
  const expanded = format === 'expanded' && field.type === 'coded';
  if (field.type === 'table') {
    const subFields = (field.fields ?? []).filter((sub) => shownAt(sub, format)).map((sub) => planField(sub, format));
    const column: Column = { name: field.name, type: 'table', columns: subFields.map((sub) => sub.column) };
    return {
      column: Object.freeze(column),
      readsLookups: subFields.some((sub) => sub.readsLookups),
      read: subResourceReader(field.name, subFields),
    };
  }
  const base = valueReader(field);
  const column: Column = { name: field.name, type: expanded ? 'coded' : field.type === 'coded' ? 'string' : field.type };
  return {
    column: Object.freeze(column),
    ...(field.from && { lookup: field.from.lookup }),
    readsLookups: field.from !== undefined,
    read: expanded ? codedReader(base) : base,
  };
}

/** A scalar field's value as stored or derived for the viewer (a coded field in its display form). */
export function valueReader(field: FieldDefinition): Reader {
  return field.from ? derivedReader(field) : storedReader(field.name);
}

function storedReader(name: string): Reader {
  return (row) => cell(row[name]);
}

function codedReader(read: Reader): Reader {
  return (row, lookups) => {
    const value = read(row, lookups);
    return value === null ? null : splitCoded(String(value));
  };
}

function subResourceReader(name: string, subFields: readonly FieldPlan[]): Reader {
  return (row, lookups) => {
    const entries = row[name];
    if (!Array.isArray(entries)) return [];
    return entries.map((entry: StoredRow) => {
      const out: Row = {};
      for (const sub of subFields) out[sub.column.name] = sub.read(entry ?? {}, lookups);
      return out;
    });
  };
}

function derivedReader(field: FieldDefinition): Reader {
  const { lookup, pick } = field.from!;
  if (!pick) return (_row, lookups) => cell(lookups.get(lookup));
  return (row, lookups) => {
    const wanted = lookups.get(lookup);
    const entries = row[pick.from];
    if (wanted === undefined || wanted === null || !Array.isArray(entries)) return null;
    const match = entries.find((entry: StoredRow) => entry?.[pick.match] === wanted) as StoredRow | undefined;
    return cell(match?.[pick.take]);
  };
}

function cell(value: unknown): CellValue {
  return value === undefined ? null : (value as CellValue);
}
