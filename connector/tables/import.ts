import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { invalidRequest } from '../errors';
import type { AuditEntry, Store } from '../store/types';
import { rowsFromCsv } from './csv-rows';
import type { TableDefinition } from './definition';
import { validateRows } from './validate-rows';

// Imports for `POST /admin/tables/:table/rows` and `sheetgate import`: upsert by key, all or nothing.

/** Validates every row first; stores them in one write only if all are good. Returns the count. */
export async function importRows(
  store: Store,
  definition: TableDefinition,
  rows: unknown,
  audit?: (count: number) => AuditEntry,
): Promise<number> {
  const [organizations, teams] = await Promise.all([store.security.listOrganizations(), store.security.listTeams()]);
  const known = { organization: new Set(organizations.map((org) => org.id)), team: new Set(teams.map((team) => team.id)) };
  const valid = validateRows(definition, rows, (by, id) => known[by].has(id));
  if (valid.length === 0) return 0;
  return store.rows.upsert(definition.id, definition.key, valid, audit?.(valid.length));
}

/** The rows of a `.csv` or `.json` file, typed per the definition but not yet validated. */
export function parseRowsFile(path: string, definition: TableDefinition): unknown[] {
  const extension = extname(path).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw invalidRequest(`Import files must end in .csv or .json, not "${basename(path)}".`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw invalidRequest(`The file "${basename(path)}" cannot be read.`);
  }
  return extension === '.csv' ? rowsFromCsv(text, definition) : rowsFromJson(text);
}

/** A JSON import holds an array of rows, or `{"rows": [...]}` as the admin route takes it. */
export function rowsFromJson(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw invalidRequest(`The JSON file is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return parsed;
  const rows = (parsed as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows;
  throw invalidRequest('A JSON import file holds an array of rows, or {"rows": [...]}.');
}
