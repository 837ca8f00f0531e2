import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../contract';
import { invalidRequest } from '../errors';
import { decodeOpaque, encodeOpaque } from '../opaque-cursor';
import type { RowKey } from '../store/types';

// Keyset paging: a cursor carries the last key served, and the next page starts after it. The
// order is the store's key order, so rows inserted or deleted between pages never shift a page.
// A cursor also carries what the pages are of (format, fields, filters; see selection.ts): the
// position "after key K" means nothing for another selection of rows, so it is refused there.

// 2: bound to the selection (1 was bound to the table only).
const CURSOR_VERSION = 2;

type Key = RowKey;

/** `limit` as sent in a query string: absent = the default; otherwise a whole number 1..MAX. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_LIMIT;
  const limit = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw invalidRequest(`Field "limit": must be a whole number from 1 to ${MAX_PAGE_LIMIT}.`);
  }
  return limit;
}

/** @param selection what the pages are of, as `selectionKey` writes it: the cursor is good for that only. */
export function encodeCursor(tableId: string, lastKey: Key, selection = ''): string {
  return encodeOpaque({ v: CURSOR_VERSION, t: tableId, s: selection, k: lastKey });
}

/** The last key a cursor names. A cursor is only good for the table and selection that issued it. */
export function decodeCursor(tableId: string, cursor: string, selection = ''): Key {
  const { v, t, s, k } = (decodeOpaque(cursor) ?? {}) as { v?: unknown; t?: unknown; s?: unknown; k?: unknown };
  if (v !== CURSOR_VERSION || t !== tableId || typeof s !== 'string' || !(typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))) {
    throw invalidRequest('Field "cursor": not a cursor this table issued; start again without one.');
  }
  if (s !== selection) {
    throw invalidRequest('Field "cursor": issued for another format, fields or filters; send the same ones as the first page, or start again without a cursor.');
  }
  return k;
}
