import type pg from 'pg';
import type { DataFormat } from '../../contract';
import type { AuditEntry, RowKey, RowPage, RowPageQuery, RowRepository, RowTextFormat, RowTextPage, StoredRow } from '../types';
import { auditInsert } from './audit-log';
import { ByteSlabs } from './byte-slabs';
import { copyRows } from './copy-rows';
import type { Queryable } from './queryable';
import { RECORDED_SCOPE_FIELD, scopeValueSql, scopeValuesFrom } from './row-scopes';
import { TEXT_COLUMNS, TEXT_FORMATS, textColumn, writableTexts } from './row-texts';
import { lockTable } from './table-locks';
import { keyOfSortKey, NUMBER_TAG, sortKey } from './sort-key';
import { withLiterals } from './sql-literal';
import { inTransaction } from './transaction';

/** A table as the row store needs it: its id, key field and scope field (from its definition). */
export interface RowTable {
  id: string;
  key: string;
  /** The field a row's visibility depends on (organization, team or warehouse); null: unscoped. */
  scopeField: string | null;
  /** The formats whose texts are kept (json_*, see row-texts.ts); none when absent. */
  texts?: readonly RowTextFormat[];
}

/** Rows per INSERT statement: large imports go in several, still in one transaction. */
const ROWS_PER_STATEMENT = 2000;

/** Rows in scope read per query while a filter is applied: few round trips, bounded memory. */
const FILTER_BATCH = 1000;

/**
 * Table rows in PostgreSQL (`rows`). A page is one indexed query in key order (`sort_key`, equal to
 * compareKeys) with the scope in SQL (`scope_value`, the row's value of its table's scope field;
 * row-scopes.ts says which field, and when a page may trust it), so no table is ever read whole
 * into memory.
 */
export class PostgresRowRepository implements RowRepository {
  private readonly tables: Map<string, RowTable>;

  constructor(
    private readonly pool: pg.Pool,
    tables: readonly RowTable[],
  ) {
    this.tables = new Map(tables.map((table) => [table.id, table]));
  }

  /**
   * Scope and key order run in SQL. A `where` condition (the caller's filters) runs here, on batches
   * of rows in scope read in key order, until the page is full or the rows run out.
   */
  async page(tableId: string, query: RowPageQuery): Promise<RowPage> {
    const { keyField } = query;
    const { rows, more } = await this.filteredRows<{ data: StoredRow }>(tableId, query, 'data', [], (row) => row.data, (row) => row.data[keyField] as RowKey);
    return { rows: rows.map((row) => row.data), more };
  }

  /**
   * The page's kept texts as UTF-8 bytes, streamed by COPY: nothing parsed, nothing decoded and
   * encoded again. When a row of the page has no text under this instance's fingerprint, or a
   * filter needs each row's `data`, the rows are read by an ordinary query instead, those without
   * text serialized from `data` (which pg parses only for them, or for every row while a filter
   * needs it).
   */
  async textPage(tableId: string, format: DataFormat, query: RowPageQuery): Promise<RowTextPage | undefined> {
    const text = this.table(tableId, query.keyField)?.texts?.find((kept) => kept.format === format);
    if (!text) return undefined;
    const kept = `CASE WHEN (SELECT fingerprint FROM row_text_formats WHERE table_id = $1 AND format = $3) = $2 THEN ${textColumn(format)} END`;
    const extra = [text.fingerprint, format];
    if (!query.where) {
      const copied = await this.copiedTexts(tableId, query, kept, extra);
      if (copied) return copied;
    }
    const data = query.where ? 'data' : `CASE WHEN (${kept}) IS NULL THEN data END`;
    const select = `${kept} AS text, ${data} AS data, key, get_byte(sort_key, 0) = ${NUMBER_TAG} AS numeric`;
    type TextRow = { text: string | null; data: StoredRow | null; key: string; numeric: boolean };
    const { rows, more } = await this.filteredRows<TextRow>(tableId, query, select, extra, (row) => row.data!, storedKeyOf);
    return {
      rows: [Buffer.from(rows.map((row) => row.text ?? text.serialize(row.data!)).join(','), 'utf8')],
      count: rows.length,
      lastKey: more ? storedKeyOf(rows[rows.length - 1]) : undefined,
      more,
    };
  }

  /**
   * The page's kept texts as bytes, streamed by COPY (copy-rows.ts) in key order while the server
   * reads on: nothing decoded, nothing aggregated in the database; null when a row of it has none.
   * The row past the limit only tells that more follow.
   */
  private async copiedTexts(tableId: string, query: RowPageQuery, kept: string, extra: readonly unknown[], scopeFromData = false): Promise<RowTextPage | null> {
    // A text's binary form is its bytes in the connection's encoding, UTF-8 (pool.ts); a bytea's is
    // its bytes as stored. The last key is read back from its sort key: one field less per row than
    // `key` and its type, and `data` stays unread.
    const select = `${kept} AS text, sort_key`;
    const statement = this.scopedStatement(tableId, query, select, extra, scopeFromData);
    if (!statement) return { rows: [], count: 0, lastKey: undefined, more: false };
    const texts = new ByteSlabs();
    let count = 0;
    let missing = false;
    let lastKey: RowKey | undefined;
    let more = false;
    await copyRows(this.pool, withLiterals(statement.sql, statement.values), (row) => {
      if (count === query.limit) return void (more = true);
      if (row.isNull(0)) missing = true;
      else if (!missing) {
        if (count > 0) texts.append(COMMA);
        row.appendTo(0, texts);
      }
      if (++count === query.limit) lastKey = keyOfSortKey(row.bytes(1));
    });
    if (count === 0 && (await this.scopeValuesStale(tableId, statement))) return this.copiedTexts(tableId, query, kept, extra, true);
    if (missing) return null;
    return { rows: texts.take(), count, lastKey: more ? lastKey : undefined, more };
  }

  /** `scopedRows` with `query.where` applied to each row's `dataOf`, batch after batch until the page is full. */
  private async filteredRows<R extends pg.QueryResultRow>(
    tableId: string,
    query: RowPageQuery,
    select: string,
    extra: readonly unknown[],
    dataOf: (row: R) => StoredRow,
    keyOf: (row: R) => RowKey,
  ): Promise<{ rows: R[]; more: boolean }> {
    const where = query.where;
    if (!where) return this.scopedRows<R>(tableId, query, select, extra);
    const rows: R[] = [];
    let after = query.after;
    for (;;) {
      const batch = await this.scopedRows<R>(tableId, { ...query, after, limit: Math.max(query.limit, FILTER_BATCH) }, select, extra);
      for (const row of batch.rows) {
        if (!where(dataOf(row))) continue;
        if (rows.length === query.limit) return { rows, more: true };
        rows.push(row);
      }
      if (!batch.more) return { rows, more: false };
      after = keyOf(batch.rows[batch.rows.length - 1]);
    }
  }

  /**
   * Up to `limit` rows in scope after `after`, in key order, as `select` picks them (its own
   * parameters, `extra`, are numbered from $2), and whether more follow.
   */
  private async scopedRows<R extends pg.QueryResultRow>(
    tableId: string,
    query: RowPageQuery,
    select: string,
    extra: readonly unknown[] = [],
    scopeFromData = false,
  ): Promise<{ rows: R[]; more: boolean }> {
    const statement = this.scopedStatement(tableId, query, select, extra, scopeFromData);
    if (!statement) return { rows: [], more: false };
    const { rows } = await this.pool.query<R>(statement.sql, statement.values);
    if (rows.length === 0 && (await this.scopeValuesStale(tableId, statement))) return this.scopedRows(tableId, query, select, extra, true);
    const more = rows.length > query.limit;
    if (more) rows.length = query.limit;
    return { rows, more };
  }

  /**
   * Whether an empty answer to `statement` may be the scope values' doing: it trusted them, and
   * they are not (any longer) derived from its scope's field. The statement checked that itself,
   * so no row reached the reader; this only tells an empty page from a stale instance's, which then
   * reads its scope from `data` (row-scopes.ts). (Were the field changed back between the two
   * reads, the page would come back empty once: a missing page, never a row out of scope.)
   */
  private async scopeValuesStale(tableId: string, statement: ScopedStatement): Promise<boolean> {
    return statement.trusts !== undefined && !(await scopeValuesFrom(this.pool, tableId, statement.trusts));
  }

  /**
   * The SELECT of up to `limit + 1` rows in scope after `after`, in key order (the one past the
   * limit tells whether more follow); null when the scope admits no row. A scope on the
   * definition's field filters on the indexed scope_value, unless `scopeFromData`.
   */
  private scopedStatement(tableId: string, query: RowPageQuery, select: string, extra: readonly unknown[], scopeFromData: boolean): ScopedStatement | null {
    const values: unknown[] = [tableId, ...extra];
    const where = ['table_id = $1'];
    const { scope } = query;
    const table = this.table(tableId, query.keyField);
    let trusts: string | undefined;
    if (scope) {
      if (scope.values.size === 0) return null;
      if (table?.scopeField === scope.field && !scopeFromData) {
        // Only while the scope values are derived from this field: a one-time check, the index scan untouched.
        values.push([...scope.values], scope.field);
        where.push(`scope_value = ANY($${values.length - 1})`, `${RECORDED_SCOPE_FIELD} = $${values.length}`);
        trusts = scope.field;
      } else {
        // Correct, not indexed: a scope on another field than the definition's (not done today), or
        // on an instance whose definition's scope field the stored scope values are no longer from.
        values.push(scope.field, [...scope.values]);
        where.push(`${scopeValueSql('data', `$${values.length - 1}::text`)} = ANY($${values.length})`);
      }
    }
    if (query.after !== undefined) {
      values.push(sortKey(query.after));
      where.push(`sort_key > $${values.length}`);
    }
    values.push(query.limit + 1);
    return { sql: `SELECT ${select} FROM rows WHERE ${where.join(' AND ')} ORDER BY sort_key LIMIT $${values.length}`, values, trusts };
  }

  async get(tableId: string, key: string): Promise<StoredRow | undefined> {
    const { rows } = await this.pool.query<{ data: StoredRow }>('SELECT data FROM rows WHERE table_id = $1 AND key = $2', [tableId, key]);
    return rows[0]?.data;
  }

  async upsert(tableId: string, keyField: string, rows: StoredRow[], audit?: AuditEntry): Promise<number> {
    await inTransaction(
      this.pool,
      (client) => this.write(client, tableId, keyField, rows),
      () => (audit ? auditInsert([audit]) : null),
    );
    return rows.length;
  }

  async remove(tableId: string, key: string, audit?: AuditEntry): Promise<boolean> {
    let removed = false;
    return inTransaction(
      this.pool,
      async (client) => {
        const { rowCount } = await client.query('DELETE FROM rows WHERE table_id = $1 AND key = $2', [tableId, key]);
        return (removed = (rowCount ?? 0) > 0);
      },
      () => (removed && audit ? auditInsert([audit]) : null),
    );
  }

  async replaceAll(tableId: string, keyField: string, rows: StoredRow[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('DELETE FROM rows WHERE table_id = $1', [tableId]);
      await this.write(client, tableId, keyField, rows);
    });
  }

  async count(tableId: string): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>('SELECT count(*)::integer AS count FROM rows WHERE table_id = $1', [tableId]);
    return rows[0].count;
  }

  /**
   * Inserts or replaces `rows` by key; of rows with one key, the last wins (as in the embedded store).
   * Each row's scope value is derived in the INSERT from the table's recorded scope field, which is
   * this instance's definition's unless another instance has since derived the table by another
   * (row-scopes.ts): what readers on the current definition trust stays true.
   */
  private async write(db: Queryable, tableId: string, keyField: string, rows: readonly StoredRow[]): Promise<void> {
    const table = this.table(tableId, keyField);
    // Both derived columns' locks in one round trip: the recorded scope field and the texts'
    // fingerprints cannot change under the rows written here.
    await lockTable(db, tableId, ['scope', 'texts'], 'shared');
    const texts = await writableTexts(db, tableId, table?.texts ?? []);
    const byKey = new Map<string, StoredRow>();
    for (const row of rows) byKey.set(String(row[keyField]), row);
    const unique = [...byKey.entries()];
    for (let start = 0; start < unique.length; start += ROWS_PER_STATEMENT) {
      const chunk = unique.slice(start, start + ROWS_PER_STATEMENT);
      await db.query(
        `INSERT INTO rows (table_id, key, sort_key, scope_value, data, ${TEXT_COLUMNS.join(', ')})
         SELECT $1, t.key, t.sort_key, ${scopeValueSql('t.data', RECORDED_SCOPE_FIELD)}, t.data, ${TEXT_COLUMNS.map((column) => `t.${column}`).join(', ')}
           FROM unnest($2::text[], $3::bytea[], $4::jsonb[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(key, sort_key, data, ${TEXT_COLUMNS.join(', ')})
         ON CONFLICT (table_id, key) DO UPDATE SET sort_key = excluded.sort_key, scope_value = excluded.scope_value, data = excluded.data,
           ${TEXT_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')}`,
        [
          tableId,
          chunk.map(([key]) => key),
          chunk.map(([, row]) => sortKey(keyOf(row[keyField]))),
          chunk.map(([, row]) => JSON.stringify(row)),
          // In TEXT_COLUMNS' order (basic … expanded); null where this writer may not write the format.
          ...TEXT_FORMATS.map((format) => {
            const text = texts.get(format);
            return chunk.map(([, row]) => (text ? text.serialize(row) : null));
          }),
        ],
      );
    }
  }

  /**
   * The table as opened, checked against the key field a call names: `key` and `sort_key` were
   * written by the definition's key, so rows addressed by another field would be misread. (A
   * table whose definition changes its key field is not re-keyed on open.)
   */
  private table(tableId: string, keyField: string): RowTable | undefined {
    const table = this.tables.get(tableId);
    if (table && table.key !== keyField) throw new Error(`Table ${tableId} is keyed by ${table.key}, not ${keyField}.`);
    return table;
  }
}

interface ScopedStatement {
  sql: string;
  values: unknown[];
  /** The field whose derived scope values the statement filters on (its answer is empty unless they are). */
  trusts?: string;
}

const COMMA = Buffer.from(',');

/** A row's key as written (`key` is String(key)), numbers told apart by their sort key's tag. */
function storedKeyOf(row: { key: string; numeric: boolean }): RowKey {
  return row.numeric ? Number(row.key) : row.key;
}

/** A key as it sorts: a number stays a number, anything else is compared as its string. */
function keyOf(value: unknown): RowKey {
  return typeof value === 'number' ? value : String(value);
}
