import { parse } from 'csv-parse/sync';
import { invalidRequest } from '../errors';
import type { StoredRow } from '../store/types';
import type { FieldDefinition, TableDefinition } from './definition';
import { describeType, importableFields } from './validate-rows';

// A CSV import: the header row names the fields; each cell is text, turned into its field's type
// here (numbers, booleans; sub-resources as JSON text), and then validated like any JSON import.
// An empty cell means "no value".

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

export function rowsFromCsv(text: string, definition: TableDefinition): StoredRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw invalidRequest(`The CSV file cannot be read: ${(error as Error).message}`);
  }
  if (records.length === 0) throw invalidRequest('The CSV file is empty; its first line must name the fields.');
  const [header, ...data] = records;
  const columns = header.map((name) => columnFor(name.trim(), definition));
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) throw invalidRequest(`The CSV header names the field "${column.name}" twice.`);
    seen.add(column.name);
  }
  return data.map((record, index) => {
    const row: StoredRow = {};
    columns.forEach((column, position) => {
      const cell = record[position] ?? '';
      if (cell.trim() !== '') row[column.name] = fromCell(cell, column.type, `Row ${index}, field "${column.name}"`);
    });
    return row;
  });
}

function columnFor(name: string, definition: TableDefinition): { name: string; type: FieldDefinition['type'] } {
  const field = definition.fields.find((candidate) => candidate.name === name);
  if (field && !field.from) return { name, type: field.type };
  if (!field && name === definition.scope.field) return { name, type: 'string' };
  throw invalidRequest(`The CSV header names "${name}", which is not an importable field of table "${definition.id}"; those are ${importableFields(definition).join(', ')}.`);
}

function fromCell(cell: string, type: FieldDefinition['type'], where: string): unknown {
  const text = cell.trim();
  switch (type) {
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) throw invalidRequest(`${where}: expected ${describeType(type)}, not "${text}".`);
      return value;
    }
    case 'boolean': {
      const folded = text.toLowerCase();
      if (TRUE.has(folded)) return true;
      if (FALSE.has(folded)) return false;
      throw invalidRequest(`${where}: expected true or false (or yes/no, 1/0), not "${text}".`);
    }
    case 'table':
      try {
        return JSON.parse(text);
      } catch {
        throw invalidRequest(`${where}: expected JSON text of an array of objects.`);
      }
    case 'date':
      return text;
    default:
      return cell;
  }
}
