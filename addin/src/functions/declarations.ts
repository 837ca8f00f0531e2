import type { SheetFunctions } from './sheet-functions';

// The custom functions as Excel sees them. scripts/build.mjs generates functions.json from the JSDoc
// below with Microsoft's custom-functions-metadata, which reads top-level functions only: so these
// are top-level and reach their SheetFunctions through `use` (called by register.ts).

let engine: SheetFunctions | null = null;

export function use(functions: SheetFunctions): void {
  engine = functions;
}

function current(): SheetFunctions {
  if (!engine) throw new Error('Sheetgate functions are not registered yet.');
  return engine;
}

/**
 * One field of one row of a Sheetgate table, e.g. =SHEETGATE.LOOKUP("customers", "C0001", "Name"). Uses the connection of the Sheetgate pane.
 * @customfunction LOOKUP
 * @param table The table, e.g. "customers".
 * @param key The row's key, e.g. "C0001".
 * @param field The column, e.g. "Name". At the expanded format "Sales Rep.Code" gives the code of a coded column.
 * @param [format] basic (the default), standard, detail or expanded.
 * @returns The field's value; #N/A when there is no such row you can see.
 */
export function lookup(table: string, key: string, field: string, format?: string): Promise<string | number | boolean> {
  return current().lookup(table, key, field, format);
}

/**
 * The rows of a Sheetgate table as a spilled array, header row first, up to 10,000 rows. Uses the connection of the Sheetgate pane.
 * @customfunction ROWS
 * @param table The table, e.g. "customers".
 * @param [fields] Columns to show, separated by commas, e.g. "Code,Name"; blank shows every column.
 * @param [format] basic (the default), standard, detail or expanded.
 * @param [filter] Only rows where FIELD is VALUE, e.g. "Sales Rep=01"; separate several with ";".
 * @returns The header row and the rows.
 */
// `any[][]`: the metadata generator maps a matrix of any scalar only from this spelling.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rows(table: string, fields?: string, format?: string, filter?: string): Promise<any[][]> {
  return current().rows(table, fields, format, filter);
}
