import type { CellValue, CodedValue, Column, DataFormat, Row } from '../../connector/contract';
import { keptColumns, type ColumnChoice } from './column-choice';

/** What one spreadsheet cell holds. Dates stay ISO strings here; each Workbook adapter renders them. */
export type Cell = string | number | boolean | null;
export type CellKind = 'text' | 'number' | 'date' | 'boolean';

export interface GridColumn {
  name: string;
  kind: CellKind;
}

interface Field {
  column: GridColumn;
  read: (row: Row) => Cell;
}

/** A sub-resource (from `detail` up), written as its own table linked to the parent by key. */
export interface ChildLayout {
  /** The sub-resource's column name in the parent, e.g. "Delivery Addresses". */
  source: string;
  /** Whether the first column is the parent's key (absent only when the parent has no scalar column). */
  linked: boolean;
  columns: GridColumn[];
  fields: Field[];
}

/** How the rows of one page shape map to a grid; fixed for every page of one pull. */
export interface Layout {
  columns: GridColumn[];
  fields: Field[];
  children: ChildLayout[];
  /** Reads the parent's key for the link column of each child, whether or not the key was chosen. */
  parentKey: Field | null;
}

export interface ShapedRows {
  rows: Cell[][];
  /** One grid per child layout, in the same order. */
  children: Cell[][][];
}

/**
 * Lays out a page's columns as spreadsheet columns, keeping only the `chosen` ones (all when null).
 * The parent key is the table's first scalar column: the contract lists a table's key first and
 * pages come ordered by it. It is taken from every column the connector sent, so a child table stays
 * linked by the real key even when the analyst left the key column out of the parent.
 */
export function layoutOf(columns: Column[], format: DataFormat, chosen: ColumnChoice = null): Layout {
  const keyColumn = columns.find((c) => c.type !== 'table');
  const parentKey = keyColumn ? fieldsOf(keyColumn, format)[0]! : null;
  const kept = keptColumns(columns, chosen);
  const scalar = kept.filter((c) => c.type !== 'table');
  // An Excel table needs a column: when only sub-resources were chosen, the parent shows just its key.
  const shown = scalar.length === 0 && kept.length > 0 && keyColumn ? [keyColumn] : scalar;
  const fields = uniqueNames(shown.flatMap((c) => fieldsOf(c, format)));
  const children = kept
    .filter((c) => c.type === 'table')
    .map((c): ChildLayout => {
      const own = (c.columns ?? []).flatMap((sub) => fieldsOf(sub, format));
      const taken = new Set(own.map((f) => f.column.name.toLowerCase()));
      const key = parentKey?.column;
      const link: Field[] = key
        ? [{ column: { name: taken.has(key.name.toLowerCase()) ? `Parent ${key.name}` : key.name, kind: key.kind }, read: () => null }]
        : [];
      const childFields = uniqueNames([...link, ...own]);
      return { source: c.name, linked: link.length > 0, columns: childFields.map((f) => f.column), fields: childFields };
    });
  return { columns: fields.map((f) => f.column), fields, children, parentKey };
}

/** Turns API rows into grid rows, and their sub-resources into child rows carrying the parent key. */
export function shapeRows(layout: Layout, rows: Row[]): ShapedRows {
  const children: Cell[][][] = layout.children.map(() => []);
  // Loops, not map/forEach: this runs for every cell of every pull (bench row 5).
  const grid = new Array<Cell[]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    grid[r] = readFields(layout.fields, row);
    for (let i = 0; i < layout.children.length; i++) {
      const child = layout.children[i]!;
      const subRows = row[child.source];
      if (!Array.isArray(subRows)) continue;
      for (const sub of subRows) {
        const childCells = readFields(child.fields, sub);
        // The link column reads nothing from the sub-row: it is the parent's key.
        if (child.linked) childCells[0] = layout.parentKey?.read(row) ?? null;
        children[i]!.push(childCells);
      }
    }
  }
  return { rows: grid, children };
}

function readFields(fields: Field[], row: Row): Cell[] {
  const cells = new Array<Cell>(fields.length);
  for (let f = 0; f < fields.length; f++) cells[f] = fields[f]!.read(row);
  return cells;
}

function fieldsOf(column: Column, format: DataFormat): Field[] {
  const name = column.name;
  if (column.type === 'coded' && format === 'expanded') {
    return [
      { column: { name: `${name} Code`, kind: 'text' }, read: (row) => codeOf(row[name]) },
      { column: { name, kind: 'text' }, read: (row) => labelOf(row[name]) },
    ];
  }
  const kind = kindOf(column);
  return [{ column: { name, kind }, read: (row) => cellOf(row[name], kind) }];
}

function kindOf(column: Column): CellKind {
  switch (column.type) {
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}

function isCoded(value: CellValue | undefined): value is CodedValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'Code' in value;
}

function codeOf(value: CellValue | undefined): Cell {
  return isCoded(value) ? value.Code : null;
}

function labelOf(value: CellValue | undefined): Cell {
  return isCoded(value) ? value.DisplayAs : cellOf(value, 'text');
}

function cellOf(value: CellValue | undefined, kind: CellKind): Cell {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return kind === 'text' ? String(value) : value;
    case 'object':
      if (value === null) return null;
      if (isCoded(value)) return value.DisplayAs;
      // A nested sub-resource below a sub-resource has no table of its own: keep it readable as text.
      return JSON.stringify(value);
    default:
      return null;
  }
}

/** Excel table headers must be unique regardless of case. */
function uniqueNames(fields: Field[]): Field[] {
  const seen = new Set<string>();
  return fields.map((field) => {
    let name = field.column.name.trim() || 'Column';
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${field.column.name} ${n}`;
    seen.add(name.toLowerCase());
    return name === field.column.name ? field : { ...field, column: { ...field.column, name } };
  });
}

/**
 * Number formats per column, decided from every value written: whole numbers get thousands
 * separators without decimals, others two decimals; dates show a time only when one has it.
 * Text and booleans keep Excel's General format (null).
 */
export class FormatTracker {
  private readonly fraction: boolean[];
  private readonly time: boolean[];

  constructor(private readonly columns: GridColumn[]) {
    this.fraction = columns.map(() => false);
    this.time = columns.map(() => false);
  }

  observe(rows: Cell[][]): void {
    this.columns.forEach((column, c) => {
      if (column.kind === 'number' && !this.fraction[c]) {
        this.fraction[c] = rows.some((r) => typeof r[c] === 'number' && !Number.isInteger(r[c]));
      } else if (column.kind === 'date' && !this.time[c]) {
        this.time[c] = rows.some((r) => typeof r[c] === 'string' && hasTime(r[c] as string));
      }
    });
  }

  formats(): (string | null)[] {
    return this.columns.map((column, c) => {
      if (column.kind === 'number') return this.fraction[c] ? '#,##0.00' : '#,##0';
      if (column.kind === 'date') return this.time[c] ? 'yyyy-mm-dd hh:mm:ss' : 'yyyy-mm-dd';
      return null;
    });
  }
}

function hasTime(iso: string): boolean {
  const time = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(iso);
  return !!time && (time[1] !== '00' || time[2] !== '00' || (time[3] ?? '00') !== '00');
}
