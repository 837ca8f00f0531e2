import fc from 'fast-check';
import { expect, it } from 'vitest';
import { compareKeys } from '../../../../connector/store/key-order';
import { keyOfSortKey, sortKey } from '../../../../connector/store/postgres/sort-key';
import { describeWithPostgres, migratedPoolPerDescribe } from '../../../helpers/postgres';

// A table pages the same on both stores only if `ORDER BY sort_key` is compareKeys order.

// The characters where orders disagree: astral ones (surrogate pairs in UTF-16) against the top of
// the BMP, case, accents precomposed and combining. NUL is left out: PostgreSQL text cannot hold it.
const tricky = ['', 'a', 'A', 'z', 'Z', 'é', 'e\u0301', 'ä', '\uE000', '\uF8FF', '\uFFFD', '\uFFFF', '\u{10000}', '😀', '\u{10FFFF}', '\u00A0', '0', '9', ' ', '~'];
const stringKey = fc.string({ unit: fc.oneof(fc.constantFrom(...tricky.filter(Boolean)), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 6 }).filter((key) => !key.includes('\u0000'));
const numberKey = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true }), fc.constantFrom(0, -0, 1, -1, 0.1, -0.1, 2 ** 53, -(2 ** 53), Number.MIN_VALUE, -Number.MAX_VALUE));

it('a sort key gives back the key it was made from (a page\'s last key is read from it)', () => {
  fc.assert(fc.property(fc.oneof(stringKey, numberKey), (key) => Object.is(keyOfSortKey(sortKey(key)), key === 0 ? 0 : key)));
  for (const key of [0, -0, 1, -1, 1.5, -1.5, 2 ** 53, -Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, '', 'C0001', '😀\uFFFD']) {
    expect(keyOfSortKey(sortKey(key))).toBe(key === 0 ? 0 : key);
  }
  for (const bad of [Buffer.of(), Buffer.of(0x01, 0), Buffer.of(0x02, 0), Buffer.of(0x03)]) expect(() => keyOfSortKey(bad)).toThrow('Not a sort key');
});

describeWithPostgres('key order in PostgreSQL', () => {
  const db = migratedPoolPerDescribe();
  let tables = 0;


  /** Stores `keys` as a new table's rows; returns the table's id. */
  async function tableOf(keys: ReadonlyArray<string | number>): Promise<string> {
    const table = `t${++tables}`;
    await db.pool().query(
      `INSERT INTO rows (table_id, key, sort_key, data) SELECT $1, k, s, '{}' FROM unnest($2::text[], $3::bytea[]) AS t(k, s)`,
      [table, keys.map(String), keys.map(sortKey)],
    );
    return table;
  }

  /** Stores `keys` as a table's rows and reads their keys back in the given SQL order. */
  async function storedInOrder(keys: ReadonlyArray<string | number>, orderBy = 'sort_key'): Promise<string[]> {
    const table = await tableOf(keys);
    const { rows } = await db.pool().query<{ key: string }>(`SELECT key FROM rows WHERE table_id = $1 ORDER BY ${orderBy}`, [table]);
    return rows.map((row) => row.key);
  }

  const inJsOrder = (keys: ReadonlyArray<string | number>) => [...keys].sort(compareKeys).map(String);
  const distinct = <T>(keys: fc.Arbitrary<T>) => fc.uniqueArray(keys, { selector: String, maxLength: 40 });

  it('string keys: ORDER BY sort_key is compareKeys order, including the characters where "C" differs', async () => {
    expect(await storedInOrder(tricky)).toEqual(inJsOrder(tricky));
    await fc.assert(
      fc.asyncProperty(distinct(stringKey), async (keys) => {
        expect(await storedInOrder(keys)).toEqual(inJsOrder(keys));
      }),
      { numRuns: 60 },
    );
  });

  it('number keys: ORDER BY sort_key is numeric order', async () => {
    const numbers = [10, 9, -1, -10, 0, 0.5, -0.5, 1e21, -1e21, 2 ** 53, Number.MIN_VALUE, -Number.MIN_VALUE];
    expect(await storedInOrder(numbers)).toEqual(inJsOrder(numbers));
    await fc.assert(
      fc.asyncProperty(distinct(numberKey), async (keys) => {
        expect(await storedInOrder(keys)).toEqual(inJsOrder(keys));
      }),
      { numRuns: 60 },
    );
  });

  it('a keyset page after a key starts exactly where compareKeys says', async () => {
    const keys = ['\u{10000}', '\uFFFD', 'a', 'B', 'é', ''];
    const table = await tableOf(keys);
    for (const after of keys) {
      const { rows } = await db.pool().query<{ key: string }>('SELECT key FROM rows WHERE table_id = $1 AND sort_key > $2 ORDER BY sort_key', [table, sortKey(after)]);
      expect(rows.map((row) => row.key)).toEqual(inJsOrder(keys.filter((key) => compareKeys(key, after) > 0)));
    }
  });

  it('why there is a sort_key: COLLATE "C" puts an astral character after U+FFFD, compareKeys before', async () => {
    const keys = ['\uFFFD', '😀'];
    expect(inJsOrder(keys)).toEqual(['😀', '\uFFFD']);
    expect(await storedInOrder(keys, 'key COLLATE "C"')).toEqual(['\uFFFD', '😀']);
  });
});
