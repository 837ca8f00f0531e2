import type { Cell, CellKind } from '../shape';

export type ExcelValue = string | number | boolean;

const MS_PER_DAY = 86_400_000;
/** Days from Excel's epoch (1899-12-30, counting its 1900 leap-year quirk) to 1970-01-01. */
const UNIX_EPOCH_SERIAL = 25_569;

/**
 * A cell as Excel should store it. Excel parses written values as if typed, so text is prefixed
 * with an apostrophe: "00123" stays text, "=HYPERLINK(...)" never becomes a formula, "1/2" never a
 * date. Dates become serial numbers (UTC) so they sort and filter as dates; number formats follow.
 */
export function toExcelValue(cell: Cell, kind: CellKind): ExcelValue {
  if (cell === null) return '';
  if (kind === 'date' && typeof cell === 'string') {
    const serial = excelDateSerial(cell);
    if (serial !== null) return serial;
  }
  if (typeof cell === 'string') return cell === '' ? '' : `'${cell}`;
  return cell;
}

export function toExcelRow(cells: Cell[], kinds: CellKind[]): ExcelValue[] {
  return cells.map((cell, i) => toExcelValue(cell, kinds[i] ?? 'text'));
}

/** An ISO 8601 date or date-time as an Excel serial date, or null when it is not one. */
export function excelDateSerial(iso: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(iso)) return null;
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(ms)) return null;
  return ms / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}
