import type { Queryable } from './queryable';

/**
 * What a table's lock guards, as the first key of a two-key advisory lock (the second is
 * hashtext(table id)): the field its scope values are derived from (row-scopes.ts), and the
 * fingerprints its kept texts were written under (row-texts.ts). Writers hold them shared for their
 * transaction; the start-up pass that changes one holds it exclusively.
 */
const SPACES = {
  scope: 0x53475343, // "SGSC"
  texts: 0x53475458, // "SGTX"
} as const;

export type TableLock = keyof typeof SPACES;

/** Takes `locks` on `tableId` until the transaction ends, in one statement (one round trip). */
export async function lockTable(db: Queryable, tableId: string, locks: readonly TableLock[], mode: 'shared' | 'exclusive'): Promise<void> {
  const take = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await db.query(`SELECT ${locks.map((_, i) => `${take}($${i + 2}, hashtext($1))`).join(', ')}`, [tableId, ...locks.map((lock) => SPACES[lock])]);
}
