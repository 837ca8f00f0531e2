import { invalidRequest } from './errors';
import { decodeOpaque, encodeOpaque } from './opaque-cursor';

// Opaque cursors of the admin listings (users, audit). A cursor names the listing that issued it and
// the filters it was issued for, so one reused elsewhere is refused instead of skipping rows.

const CURSOR_VERSION = 1;

export function encodeListCursor(listing: string, filters: string, position: unknown): string {
  return encodeOpaque({ v: CURSOR_VERSION, l: listing, f: filters, p: position });
}

/** The position a cursor carries; `check` says whether it has the listing's shape. */
export function decodeListCursor<T>(listing: string, filters: string, cursor: string, check: (position: unknown) => position is T): T {
  const { v, l, f, p } = (decodeOpaque(cursor) ?? {}) as { v?: unknown; l?: unknown; f?: unknown; p?: unknown };
  if (v !== CURSOR_VERSION || l !== listing || f !== filters || !check(p)) {
    throw invalidRequest('Field "cursor": not a cursor this listing issued with these filters; start again without one.');
  }
  return p;
}
