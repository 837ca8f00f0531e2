/** Names Excel accepts, derived from a connector table's title and unique in the workbook. */

const MAX_TABLE_NAME = 255;
const MAX_SHEET_NAME = 31;

/**
 * An Excel table name: letters, digits, `_` and `.`, starting with a letter or `_`, not shaped like
 * a cell reference (A1, R1C1, R, C), unique regardless of case among `taken` (table and defined names).
 */
export function tableNameFor(title: string, taken: Iterable<string>): string {
  let base = title
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_.]+/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!base) base = 'Table';
  if (!/^[\p{L}_]/u.test(base)) base = `_${base}`;
  if (/^[A-Za-z]{1,3}\d+$/.test(base) || /^(R\d*C\d*|R\d+|C\d+|R|C)$/i.test(base)) base = `${base}_`;
  return unique(base, taken, MAX_TABLE_NAME, (n) => `_${n}`);
}

/** A worksheet name: at most 31 characters, none of `[]:*?/\`, no edge apostrophe, not "History". */
export function sheetNameFor(title: string, taken: Iterable<string>): string {
  let base = title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().replace(/^'+|'+$/g, '').trim();
  if (!base || base.toLowerCase() === 'history') base = base ? `${base} table` : 'Table';
  return unique(base, taken, MAX_SHEET_NAME, (n) => ` (${n})`);
}

function unique(base: string, taken: Iterable<string>, max: number, suffix: (n: number) => string): string {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  for (let n = 1; ; n++) {
    const tail = n === 1 ? '' : suffix(n);
    const name = base.slice(0, max - tail.length).trimEnd() + tail;
    if (!used.has(name.toLowerCase())) return name;
  }
}
