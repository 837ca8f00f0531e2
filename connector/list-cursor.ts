import { invalidRequest } from './errors';

// Opaque cursors of the admin listings (users, audit). A cursor names the listing that issued it and
// the filters it was issued for, so one reused elsewhere is refused instead of skipping rows.

const CURSOR_VERSION = 1;

export function encodeListCursor(listing: string, filters: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, l: listing, f: filters, p: position })).toString('base64url');
}

/** The position a cursor carries; `check` says whether it has the listing's shape. */
export function decodeListCursor<T>(listing: string, filters: string, cursor: string, check: (position: unknown) => position is T): T {
  let decoded: unknown;
  try {
    decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    decoded = undefined;
  }
  const { v, l, f, p } = (decoded ?? {}) as { v?: unknown; l?: unknown; f?: unknown; p?: unknown };
  if (v !== CURSOR_VERSION || l !== listing || f !== filters || !check(p)) {
    throw invalidRequest('Field "cursor": not a cursor this listing issued with these filters; start again without one.');
  }
  return p;
}
