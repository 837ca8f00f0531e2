import type pg from 'pg';
import type { Queryable } from './queryable';
import { lockTable } from './table-locks';
import { inTransaction } from './transaction';

// rows.scope_value is a row's value of its table's scope field (organization, team, warehouse), so
// a page filters by scope on an index. It is a copy of a field of `data`, and which field is the
// definition's to say: definitions change, and instances started with different ones may share
// the database for a while (a rolling change). Row filtering by scope is a security property, so
// the invariant holds on every instance whatever definitions it runs:
//
//   row_scope_fields names, per table, the field every scope_value of the table is derived from.
//   It is changed only holding the table's scope lock exclusively, in the transaction that derives
//   every scope_value of the table again. A writer derives scope_value from the recorded field (in
//   its INSERT, not from its own definition's), holding that lock shared (table-locks.ts). A page filters on
//   scope_value only while the record names the reader's own scope field (checked in the page's
//   statement); otherwise it filters on the reader's field in `data`.
//
// So no row is served outside a reader's scope because of a scope_value derived from another
// field. At open, an instance whose definition names the recorded field does nothing (no scan of
// the table); the first to start with another field derives the table again before it serves, and
// instances starting at once take turns on the lock, the later ones finding nothing left to do.
// An instance still on the older definition, after another derived again:
// - writes rows scoped by the recorded field, which the instances on the current definition read
//   as they should (so its imports neither fail nor hide rows from them);
// - serves its pages scoped by its own field, read from `data` (correct, not indexed: slower on a
//   large table) until it is restarted with the current definitions.
// A table without a record (rows written before migration 006, or a record deleted by hand) is
// derived again at the next open; until then its writers derive null, in no reader's scope.

/** The field the table's scope values are derived from, as a subquery: for statements whose $1 is the table id. */
export const RECORDED_SCOPE_FIELD = '(SELECT scope_field FROM row_scope_fields WHERE table_id = $1)';

/**
 * A row's scope value from its `data` by `field` (both SQL expressions): a string value, else null,
 * as the in-memory filter matches (`Set.has(row[field])`). A null field gives null.
 */
export function scopeValueSql(data: string, field: string): string {
  return `CASE WHEN jsonb_typeof(${data} -> ${field}) = 'string' THEN ${data} ->> ${field} END`;
}

/** Whether the table's scope values are derived from `field`: may a page of that field's scope filter on them. */
export async function scopeValuesFrom(db: Queryable, tableId: string, field: string): Promise<boolean> {
  const record = await recordOf(db, tableId);
  return record !== undefined && record.field === field;
}

/**
 * At open: makes the table's scope values derived from `scopeField` (null: unscoped), with the
 * record. Nothing is done, nor locked, when the record already names it: the common start (the
 * unlocked read is enough, since the invariant makes the rows agree with any committed record).
 * Returns the number of rows whose scope value changed, or null when the table was left as it was.
 */
export async function syncScopeValues(pool: pg.Pool, tableId: string, scopeField: string | null): Promise<number | null> {
  if ((await recordOf(pool, tableId))?.field === scopeField) return null;
  return inTransaction(pool, (client) => deriveScopeValues(client, tableId, scopeField));
}

/**
 * In the caller's transaction: takes the table's scope lock exclusively and, unless the record
 * names `scopeField` by then (an instance starting at the same time did it), derives every row's
 * scope value from it and records it. What syncScopeValues commits; the rows' count as there.
 */
export async function deriveScopeValues(db: Queryable, tableId: string, scopeField: string | null): Promise<number | null> {
  await lockTable(db, tableId, ['scope'], 'exclusive');
  // A statement of its own: the record must be read after the lock is held, not from a snapshot taken before.
  if ((await recordOf(db, tableId))?.field === scopeField) return null;
  await db.query(
    'INSERT INTO row_scope_fields (table_id, scope_field) VALUES ($1, $2) ON CONFLICT (table_id) DO UPDATE SET scope_field = excluded.scope_field',
    [tableId, scopeField],
  );
  const value = scopeValueSql('data', '$2::text');
  const { rowCount } = await db.query(`UPDATE rows SET scope_value = ${value} WHERE table_id = $1 AND scope_value IS DISTINCT FROM ${value}`, [
    tableId,
    scopeField,
  ]);
  return rowCount ?? 0;
}

async function recordOf(db: Queryable, tableId: string): Promise<{ field: string | null } | undefined> {
  const { rows } = await db.query<{ scope_field: string | null }>('SELECT scope_field FROM row_scope_fields WHERE table_id = $1', [tableId]);
  return rows.length === 0 ? undefined : { field: rows[0].scope_field };
}
