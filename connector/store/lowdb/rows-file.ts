import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { compareKeys } from '../key-order';
import { pageOf } from '../keyset-page';
import type { AuditEntry, AuditLog, RowPage, RowPageQuery, RowRepository, StoredRow } from '../types';
import { DurableJsonFile } from './durable-json-file';
import { GroupCommit } from './group-commit';
import { checkLists, checkSchemaVersion, SCHEMA_VERSION, type Versioned } from './schema';

interface RowsFile extends Versioned {
  keyField: string;
  rows: StoredRow[];
}

interface TableRows {
  db: Low<RowsFile>;
  writer: GroupCommit;
  byKey: Map<string, StoredRow>;
}

/**
 * A table to open: its id and key field (from its definition). A bare id takes the key field
 * stored in the table's file, or the one the first write names.
 */
export type TableKey = string | { id: string; key: string };

/**
 * One lowdb file per table under `tables/`, apart from the security model, so that an admin's
 * authorize never rewrites 100k customer rows. Rows are kept sorted by key in memory.
 */
export class LowdbRowRepository implements RowRepository {
  private readonly tables = new Map<string, TableRows>();
  private readonly loading = new Map<string, Promise<TableRows>>();

  private constructor(
    private readonly dir: string,
    private readonly audit: AuditLog,
  ) {}

  static async open(dir: string, tables: readonly TableKey[], audit: AuditLog): Promise<LowdbRowRepository> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const repository = new LowdbRowRepository(dir, audit);
    for (const table of tables) {
      if (typeof table === 'string') await repository.load(table);
      else await repository.load(table.id, table.key);
    }
    return repository;
  }

  tableIds(): readonly string[] {
    return [...this.tables.keys()];
  }

  /** Every row of a table in key order: the embedded store's own view (copy-store, tests). */
  list(tableId: string): readonly StoredRow[] {
    return this.tables.get(tableId)?.db.data.rows ?? [];
  }

  async page(tableId: string, query: RowPageQuery): Promise<RowPage> {
    const { scope, where } = query;
    const inScope = scope === null ? null : (row: StoredRow) => scope.values.has(row[scope.field] as string);
    const visible = inScope && where ? (row: StoredRow) => inScope(row) && where(row) : (inScope ?? where ?? null);
    return pageOf(this.list(tableId), query.keyField, visible, query.after, query.limit);
  }

  async get(tableId: string, key: string): Promise<StoredRow | undefined> {
    return this.tables.get(tableId)?.byKey.get(key);
  }

  async count(tableId: string): Promise<number> {
    return this.list(tableId).length;
  }

  async upsert(tableId: string, keyField: string, rows: StoredRow[], audit?: AuditEntry): Promise<number> {
    const table = await this.load(tableId, keyField);
    for (const row of rows) table.byKey.set(String(row[keyField]), row);
    table.db.data.rows = sortedRows(table.byKey, keyField);
    await table.writer.commit();
    if (audit) await this.audit.appendDurably(audit);
    return rows.length;
  }

  async remove(tableId: string, key: string, audit?: AuditEntry): Promise<boolean> {
    const table = this.tables.get(tableId);
    if (!table || !table.byKey.delete(key)) return false;
    table.db.data.rows = table.db.data.rows.filter((row) => String(row[table.db.data.keyField]) !== key);
    await table.writer.commit();
    if (audit) await this.audit.appendDurably(audit);
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

  /**
   * The table, read once (concurrent first uses share one read), keyed by `keyField` when given:
   * a file written under another key field is re-keyed, so `get` and `remove` find rows by the
   * definition's key. Without one, the file's own key field holds.
   */
  private async load(tableId: string, keyField?: string): Promise<TableRows> {
    const loaded = this.tables.get(tableId);
    if (loaded) return keyField === undefined ? loaded : rekey(loaded, keyField);
    let loading = this.loading.get(tableId);
    if (!loading) {
      loading = this.read(tableId, keyField).finally(() => this.loading.delete(tableId));
      this.loading.set(tableId, loading);
    }
    const table = await loading;
    return keyField === undefined ? table : rekey(table, keyField);
  }

  private async read(tableId: string, keyField: string | undefined): Promise<TableRows> {
    const path = join(this.dir, `${tableId}.json`);
    const db = new Low<RowsFile>(new DurableJsonFile(path), {
      schemaVersion: SCHEMA_VERSION,
      keyField: keyField ?? '',
      rows: [],
    });
    await db.read();
    checkSchemaVersion(path, db.data);
    checkLists(path, db.data, ['rows']);
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

/** Makes `keyField` the table's key (in memory; the next write stores it). */
function rekey(table: TableRows, keyField: string): TableRows {
  if (table.db.data.keyField === keyField) return table;
  table.db.data.keyField = keyField;
  table.byKey = new Map(table.db.data.rows.map((row) => [String(row[keyField]), row]));
  table.db.data.rows = sortedRows(table.byKey, keyField);
  return table;
}

function sortedRows(byKey: Map<string, StoredRow>, keyField: string): StoredRow[] {
  return [...byKey.values()].sort((a, b) => compareKeys(a[keyField], b[keyField]));
}
