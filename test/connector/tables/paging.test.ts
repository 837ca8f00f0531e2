import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../../connector/errors';
import { compareKeys } from '../../../connector/store/key-order';
import { pageOf } from '../../../connector/store/keyset-page';
import type { RowPage, StoredRow } from '../../../connector/store/types';
import { decodeCursor, encodeCursor, parseLimit } from '../../../connector/tables/paging';

/** The key a cursor would carry: the last row's, when another page follows. */
const continueAfter = (page: RowPage) => (page.more ? (page.rows[page.rows.length - 1].Id as string | number) : null);

/** Follows cursors to the end, as a client does. */
function readAll(rows: StoredRow[], visible: ((row: StoredRow) => boolean) | null, limit: number) {
  const seen: StoredRow[] = [];
  let after: string | number | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = pageOf(rows, 'Id', visible, after, limit);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    seen.push(...page.rows);
    if (continueAfter(page) === null) return seen;
    expect(page.rows).toHaveLength(limit);
    after = decodeCursor('t', encodeCursor('t', continueAfter(page)!));
  }
  throw new Error('paging did not end');
}

const sortedRows = (keys: Array<string | number>) =>
  [...new Set(keys)].sort(compareKeys).map((Id, index) => ({ Id, even: index % 2 === 0 }));

describe('paging', () => {
  test('following the cursor yields every visible row exactly once, in key order', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 200 }), fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 })),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (keys, limit, filtered) => {
          const rows = sortedRows(keys);
          const visible = filtered ? (row: StoredRow) => row.even === true : null;
          expect(readAll(rows, visible, limit)).toEqual(rows.filter((row) => visible === null || visible(row)));
        },
      ),
    );
  });

  test('the last full page says it is the last', () => {
    const rows = sortedRows([1, 2, 3, 4]);
    expect(continueAfter(pageOf(rows, 'Id', null, undefined, 4))).toBeNull();
    expect(continueAfter(pageOf(rows, 'Id', null, 2, 2))).toBeNull();
    expect(continueAfter(pageOf(rows, 'Id', null, undefined, 3))).toBe(3);
  });

  test('rows deleted or added between pages neither repeat nor shift the rest', () => {
    const rows = sortedRows([1, 2, 3, 4, 5, 6]);
    const first = pageOf(rows, 'Id', null, undefined, 2);
    const changed = sortedRows([0, 1, 3, 4, 5, 6]); // 2 deleted, 0 inserted before the cursor
    expect(pageOf(changed, 'Id', null, continueAfter(first)!, 2).rows.map((row) => row.Id)).toEqual([3, 4]);
  });
});

describe('cursors', () => {
  test('round-trip string and number keys', () => {
    expect(decodeCursor('customers', encodeCursor('customers', 'C0001'))).toBe('C0001');
    expect(decodeCursor('campaigns', encodeCursor('campaigns', 42))).toBe(42);
  });

  test.each(['garbage!', 'e30', Buffer.from('{"v":3,"t":"t","s":"","k":1}').toString('base64url'), Buffer.from('{"v":2,"t":"t","s":"","k":{}}').toString('base64url'), 'bm90IGpzb24'])(
    'refuses %s as invalid_request',
    (cursor) => {
      expect(() => decodeCursor('t', cursor)).toThrow(ApiError);
      try {
        decodeCursor('t', cursor);
      } catch (error) {
        expect((error as ApiError).code).toBe('invalid_request');
        expect((error as ApiError).message).toMatch(/cursor/);
      }
    },
  );

  test("refuses another table's cursor", () => {
    expect(() => decodeCursor('products', encodeCursor('customers', 'C1'))).toThrow(/cursor/);
  });
});

describe('limit', () => {
  test('defaults to 1000 and accepts 1..10000', () => {
    expect(parseLimit(undefined)).toBe(1000);
    expect(parseLimit('1')).toBe(1);
    expect(parseLimit('10000')).toBe(10000);
  });

  test.each(['0', '-1', '10001', '1.5', 'abc', '', '1e3', '99999999999999999999'])('refuses %j naming limit', (raw) => {
    try {
      parseLimit(raw);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('invalid_request');
      expect((error as ApiError).message).toMatch(/"limit"/);
    }
  });
});

describe('cursors bound to a selection', () => {
  test('round-trip with the same selection, refused with another or none', () => {
    const cursor = encodeCursor('customers', 'C1', 'sel-a');
    expect(decodeCursor('customers', cursor, 'sel-a')).toBe('C1');
    expect(() => decodeCursor('customers', cursor, 'sel-b')).toThrow(/cursor.*format, fields or filters/);
    expect(() => decodeCursor('customers', cursor)).toThrow(/cursor/);
  });
});
