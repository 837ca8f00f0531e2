import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { RowRepository, StoredRow } from '../types';
import { DurableJsonFile } from './durable-json-file';
import { GroupCommit } from './group-commit';
import { checkSchemaVersion, SCHEMA_VERSION, type Versioned } from './schema';

interface RowsFile extends Versioned {
  keyField: string;
  rows: StoredRow[];
}

interface TableRows {
  db: Low<RowsFile>;
  writer: GroupCommit;
  byKey: Map<string, StoredRow>;
}

/** Keys compare as numbers when both are numbers, else as strings: one stable paging order. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * One lowdb file per table under `tables/`, apart from the security model, so that an admin's
 * authorize never rewrites 100k customer rows. Rows are kept sorted by key in memory.
 */
export class LowdbRowRepository implements RowRepository {
  private readonly tables = new Map<string, TableRows>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string, tableIds: readonly string[]): Promise<LowdbRowRepository> {
    await mkdir(dir, { recursive: true });
    const repository = new LowdbRowRepository(dir);
    for (const id of tableIds) await repository.load(id);
    return repository;
  }

  tableIds(): readonly string[] {
    return [...this.tables.keys()];
  }

  list(tableId: string): readonly StoredRow[] {
    return this.tables.get(tableId)?.db.data.rows ?? [];
  }

  get(tableId: string, key: string): StoredRow | undefined {
    return this.tables.get(tableId)?.byKey.get(key);
  }

  async upsert(tableId: string, keyField: string, rows: StoredRow[]): Promise<number> {
    const table = await this.load(tableId, keyField);
    for (const row of rows) table.byKey.set(String(row[keyField]), row);
    table.db.data.rows = sortedRows(table.byKey, keyField);
    await table.writer.commit();
    return rows.length;
  }

  async remove(tableId: string, key: string): Promise<boolean> {
    const table = this.tables.get(tableId);
    if (!table || !table.byKey.delete(key)) return false;
    table.db.data.rows = table.db.data.rows.filter((row) => String(row[table.db.data.keyField]) !== key);
    await table.writer.commit();
    return true;
  }

  async replaceAll(tableId: string, keyField: string, rows: StoredRow[]): Promise<void> {
    const table = await this.load(tableId, keyField);
    table.byKey.clear();
    for (const row of rows) table.byKey.set(String(row[keyField]), row);
    table.db.data.rows = sortedRows(table.byKey, keyField);
    await table.writer.commit();
  }

  async close(): Promise<void> {
    for (const table of this.tables.values()) await table.writer.settle();
  }

  private async load(tableId: string, keyField = 'id'): Promise<TableRows> {
    const loaded = this.tables.get(tableId);
    if (loaded) return loaded;
    const path = join(this.dir, `${tableId}.json`);
    const db = new Low<RowsFile>(new DurableJsonFile(path), {
      schemaVersion: SCHEMA_VERSION,
      keyField,
      rows: [],
    });
    await db.read();
    checkSchemaVersion(path, db.data);
    const field = db.data.keyField;
    const table: TableRows = {
      db,
      writer: new GroupCommit(() => db.write()),
      byKey: new Map(db.data.rows.map((row) => [String(row[field]), row])),
    };
    this.tables.set(tableId, table);
    return table;
  }
}

function sortedRows(byKey: Map<string, StoredRow>, keyField: string): StoredRow[] {
  return [...byKey.values()].sort((a, b) => compareKeys(a[keyField], b[keyField]));
}
