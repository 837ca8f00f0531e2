import type pg from 'pg';
import { FORMATS, type DataFormat } from '../../contract';
import type { RowTextFormat, StoredRow } from '../types';
import type { Queryable } from './queryable';
import { lockTable } from './table-locks';
import { inTransaction } from './transaction';

// Rows kept serialized per format (rows.json_<format>), so a page is read as text instead of being
// parsed, projected and serialized again. The invariant, on every instance whatever definitions it
// runs:
//
//   A text is served only while row_text_formats holds, for its table and format, the fingerprint
//   of the reader's own serializer (checked in the page's statement). A text is written only by a
//   writer whose fingerprint is the stored one, holding this table's text lock shared. A
//   fingerprint is changed only holding that lock exclusively, in the transaction that rewrites
//   every text it covers (refilled, or nulled where the format keeps none).
//
// So a definition change never serves old text: the first instance to start with it refills the
// table's texts before it serves, and an instance still on the old definition, seeing a
// fingerprint not its own, writes null texts and serves its pages from `data`. A null text is
// always safe: that row is serialized from `data`.

/** The formats with a text column, in the columns' order (TEXT_COLUMNS). */
export const TEXT_FORMATS: readonly DataFormat[] = FORMATS.filter((format): format is DataFormat => format !== 'none');

const COLUMNS: Readonly<Record<DataFormat, string>> = {
  basic: 'json_basic',
  standard: 'json_standard',
  detail: 'json_detail',
  expanded: 'json_expanded',
};

/** The column holding a format's texts (a fixed name per format: never a caller's text). */
export function textColumn(format: DataFormat): string {
  return COLUMNS[format];
}

export const TEXT_COLUMNS: readonly string[] = TEXT_FORMATS.map(textColumn);

/** Rows read, serialized and written back per statement while refilling. */
const REFILL_BATCH = 2000;

/**
 * The formats whose texts a writer holding `texts` may write for `tableId` now (the others are
 * written null). The caller holds the table's `texts` lock shared (table-locks.ts) from before this
 * read until its transaction ends, so a fingerprint cannot change under the rows it writes; the
 * lock is taken in a statement before this one, so the fingerprints are read after it is held.
 */
export async function writableTexts(db: Queryable, tableId: string, texts: readonly RowTextFormat[]): Promise<Map<DataFormat, RowTextFormat>> {
  const writable = new Map<DataFormat, RowTextFormat>();
  if (texts.length === 0) return writable;
  const stored = await fingerprintsOf(db, tableId);
  for (const text of texts) if (stored.get(text.format) === text.fingerprint) writable.set(text.format, text);
  return writable;
}

/**
 * At open: makes the table's stored fingerprints this instance's (`texts`), rewriting the texts of
 * every format whose fingerprint changed, in one transaction under the exclusive lock. Instances
 * starting at once take turns; the later ones find nothing left to do. Cost: one pass over the
 * table's rows, only after a definition change (or the first start after an upgrade).
 */
export async function syncRowTexts(pool: pg.Pool, tableId: string, texts: readonly RowTextFormat[]): Promise<void> {
  await inTransaction(pool, async (client) => {
    await lockTable(client, tableId, ['texts'], 'exclusive');
    const stored = await fingerprintsOf(client, tableId);
    const wanted = new Map(texts.map((text) => [text.format, text]));
    const stale = TEXT_FORMATS.filter((format) => stored.get(format) !== wanted.get(format)?.fingerprint);
    if (stale.length === 0) return;
    await client.query('DELETE FROM row_text_formats WHERE table_id = $1 AND format = ANY($2)', [tableId, stale]);
    const refilled = stale.flatMap((format) => wanted.get(format) ?? []);
    await client.query('INSERT INTO row_text_formats (table_id, format, fingerprint) SELECT $1, * FROM unnest($2::text[], $3::text[])', [
      tableId,
      refilled.map((text) => text.format),
      refilled.map((text) => text.fingerprint),
    ]);
    if (refilled.length === 0) {
      const nulls = stale.map((format) => `${textColumn(format)} = NULL`).join(', ');
      await client.query(`UPDATE rows SET ${nulls} WHERE table_id = $1`, [tableId]);
      return;
    }
    await rewriteTexts(client, tableId, stale.map((format) => ({ column: textColumn(format), text: wanted.get(format) })));
  });
}

/** Every row of the table, in batches in key order: each stale column set to its new text, or null. */
async function rewriteTexts(db: Queryable, tableId: string, columns: readonly { column: string; text: RowTextFormat | undefined }[]): Promise<void> {
  const sets = columns.map(({ column }, i) => `${column} = t.c${i}`).join(', ');
  const arrays = columns.map((_, i) => `$${i + 3}::text[]`).join(', ');
  const names = columns.map((_, i) => `c${i}`).join(', ');
  let after: Buffer | null = null;
  for (;;) {
    const { rows }: { rows: { key: string; sort_key: Buffer; data: StoredRow }[] } = await db.query(
      `SELECT key, sort_key, data FROM rows WHERE table_id = $1 AND ($2::bytea IS NULL OR sort_key > $2) ORDER BY sort_key LIMIT ${REFILL_BATCH}`,
      [tableId, after],
    );
    if (rows.length === 0) return;
    await db.query(
      `UPDATE rows r SET ${sets} FROM unnest($2::text[], ${arrays}) AS t(key, ${names}) WHERE r.table_id = $1 AND r.key = t.key`,
      [tableId, rows.map((row) => row.key), ...columns.map(({ text }) => rows.map((row) => (text ? text.serialize(row.data) : null)))],
    );
    if (rows.length < REFILL_BATCH) return;
    after = rows[rows.length - 1].sort_key;
  }
}

async function fingerprintsOf(db: Queryable, tableId: string): Promise<Map<DataFormat, string>> {
  const { rows } = await db.query<{ format: DataFormat; fingerprint: string }>('SELECT format, fingerprint FROM row_text_formats WHERE table_id = $1', [
    tableId,
  ]);
  return new Map(rows.map((row) => [row.format, row.fingerprint]));
}
