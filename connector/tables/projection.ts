import { formatRank, type CellValue, type Column, type DataFormat, type Row } from '../contract';
import type { StoredRow } from '../store/types';
import { splitCoded } from './coded';
import type { FieldDefinition, TableDefinition } from './definition';

// What a format shows of a table: its columns, and a projector that builds each response row from
// a stored row. The field plans are compiled once per definition and format; a request only picks
// the plan and, when the viewer lacks a lookup, drops the fields derived from it.

/** Lookup values resolved for one viewer. A lookup missing from the map is blank: its fields are absent. */
export type LookupValues = ReadonlyMap<string, unknown>;

export interface Projection {
  readonly columns: readonly Column[];
  project(row: StoredRow): Row;
}

type Reader = (row: StoredRow, lookups: LookupValues) => CellValue;

interface FieldPlan {
  readonly column: Column;
  /** The lookup a derived field needs. */
  readonly lookup?: string;
  readonly read: Reader;
}

interface FormatPlan {
  readonly fields: readonly FieldPlan[];
  readonly columns: readonly Column[];
}

const NO_LOOKUPS: LookupValues = new Map();
const plans = new WeakMap<TableDefinition, Map<DataFormat, FormatPlan>>();

export function projectionFor(definition: TableDefinition, format: DataFormat, lookups: LookupValues = NO_LOOKUPS): Projection {
  const plan = planFor(definition, format);
  const missing = plan.fields.some((field) => field.lookup !== undefined && !lookups.has(field.lookup));
  const fields = missing ? plan.fields.filter((field) => field.lookup === undefined || lookups.has(field.lookup)) : plan.fields;
  const columns = missing ? fields.map((field) => field.column) : plan.columns;
  return {
    columns,
    project(row) {
      const out: Row = {};
      for (const field of fields) out[field.column.name] = field.read(row, lookups);
      return out;
    },
  };
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
    plan = Object.freeze({ fields: Object.freeze(fields), columns: Object.freeze(fields.map((field) => field.column)) });
    byFormat.set(format, plan);
  }
  return plan;
}

function planField(field: FieldDefinition, format: DataFormat): FieldPlan {
  const expanded = format === 'expanded' && field.type === 'coded';
  if (field.type === 'table') {
    const subFields = (field.fields ?? []).filter((sub) => shownAt(sub, format)).map((sub) => planField(sub, format));
    const column: Column = { name: field.name, type: 'table', columns: subFields.map((sub) => sub.column) };
    return { column: Object.freeze(column), read: subResourceReader(field.name, subFields) };
  }
  const base = field.from ? derivedReader(field) : storedReader(field.name);
  const column: Column = { name: field.name, type: expanded ? 'coded' : field.type === 'coded' ? 'string' : field.type };
  return {
    column: Object.freeze(column),
    ...(field.from && { lookup: field.from.lookup }),
    read: expanded ? codedReader(base) : base,
  };
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
