import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { compareKeys } from '../../../../connector/store/key-order';
import type { PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import type { RowKey, RowScopeFilter, StoredRow } from '../../../../connector/store/types';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';
import { openTestStore, rejectionOf } from './store-fixtures';

const TABLES = [
  { id: 'numbers', key: 'Id', scopeField: 'Org' },
  { id: 'strings', key: 'Code', scopeField: 'Org' },
  { id: 'plain', key: 'Id', scopeField: null },
] as const;

const tricky = ['a', 'A', 'z', 'é', 'e\u0301', '\uE000', '\uFFFD', '\uFFFF', '\u{10000}', '😀', '0', '9', ' ', '~'];
const stringKey = fc
  .string({ unit: fc.oneof(fc.constantFrom(...tricky), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 5 })
  .filter((key) => !key.includes('\u0000'));
// -0 is the key 0 (String(-0) === "0"), and JSON has no infinities.
const numberKey = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ noNaN: true, noDefaultInfinity: true })).map((k) => (k === 0 ? 0 : k));
/** A row's scope value: a string the scope may name, one it never names, a number (never in scope, even as "7"), or none. */
const scopeValue = fc.oneof(fc.constantFrom('o1', 'o2', 'o3', 'elsewhere'), fc.constant(7), fc.constant(undefined));
const scopeSet = fc.option(fc.subarray(['o1', 'o2', 'o3', 'o4', '7']), { nil: null });

describeWithPostgres('PostgreSQL row repository', () => {
  let database: TestDatabase;
  let store: PostgresStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openTestStore(database.url, TABLES);
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  /** Every row in scope, page by page with the given limits, checking `more` on each page. */
  async function pageThrough(tableId: string, keyField: string, scope: RowScopeFilter | null, limits: readonly number[]): Promise<StoredRow[]> {
    const seen: StoredRow[] = [];
    let after: RowKey | undefined;
    for (let page = 0; ; page++) {
      const limit = limits[page % limits.length];
      const result = await store.rows.page(tableId, { keyField, after, limit, scope });
      expect(result.rows.length).toBeLessThanOrEqual(limit);
      seen.push(...result.rows);
      if (!result.more) return seen;
      expect(result.rows).toHaveLength(limit);
      after = result.rows[result.rows.length - 1][keyField] as RowKey;
    }
  }

  const pagingProperty = (tableId: 'numbers' | 'strings', keyField: string, key: fc.Arbitrary<RowKey>) =>
    fc.asyncProperty(
      fc.uniqueArray(fc.record({ key, org: scopeValue, n: fc.integer() }), { selector: (row) => String(row.key), maxLength: 40 }),
      fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
      scopeSet,
      fc.boolean(),
      async (drawn, limits, values, byOtherField) => {
        const rows: StoredRow[] = drawn.map(({ key: k, org, n }) => ({ [keyField]: k, ...(org === undefined ? {} : { Org: org, Other: org }), n }));
        await store.rows.replaceAll(tableId, keyField, rows);
        // The definition's scope field is indexed (scope_value); another field takes the fallback path.
        const field = byOtherField ? 'Other' : 'Org';
        const scope = values === null ? null : { field, values: new Set(values) };
        const expected = [...rows]
          .sort((a, b) => compareKeys(a[keyField], b[keyField]))
          .filter((row) => scope === null || (typeof row[field] === 'string' && scope.values.has(row[field] as string)));
        expect(await pageThrough(tableId, keyField, scope, limits)).toEqual(expected);
      },
    );

  it('pages number keys in compareKeys order, each row in scope exactly once', async () => {
    await fc.assert(pagingProperty('numbers', 'Id', numberKey), { numRuns: 30 });
  });

  it('pages string keys in compareKeys order (UTF-16 code units), each row in scope exactly once', async () => {
    await fc.assert(pagingProperty('strings', 'Code', stringKey), { numRuns: 30 });
  });

  it('an empty scope is no rows; a page after the last key is empty', async () => {
    await store.rows.replaceAll('plain', 'Id', [{ Id: 1 }, { Id: 2 }]);
    expect(await store.rows.page('plain', { keyField: 'Id', limit: 10, scope: { field: 'Org', values: new Set() } })).toEqual({ rows: [], more: false });
    expect(await store.rows.page('plain', { keyField: 'Id', after: 2, limit: 10, scope: null })).toEqual({ rows: [], more: false });
    expect(await store.rows.page('plain', { keyField: 'Id', limit: 1, scope: null })).toEqual({ rows: [{ Id: 1 }], more: true });
  });

  it('get, upsert (replacing by key, the last of one key winning), remove and count', async () => {
    await store.rows.replaceAll('plain', 'Id', [{ Id: 10, v: 'a' }, { Id: 20, v: 'b' }]);
    expect(await store.rows.upsert('plain', 'Id', [{ Id: 20, v: 'B' }, { Id: 30, v: 'c' }, { Id: 30, v: 'C' }])).toBe(3);
    expect(await store.rows.count('plain')).toBe(3);
    expect(await store.rows.get('plain', '30')).toEqual({ Id: 30, v: 'C' });
    expect(await store.rows.get('plain', '20')).toEqual({ Id: 20, v: 'B' });
    expect(await store.rows.get('plain', '99')).toBeUndefined();
    expect(await store.rows.remove('plain', '10')).toBe(true);
    expect(await store.rows.remove('plain', '10')).toBe(false);
    expect(await store.rows.count('plain')).toBe(2);
    expect(await store.rows.count('no-such-table')).toBe(0);
  });

  it('refuses a key field other than the definition\'s, which the stored keys were written by', async () => {
    expect(await rejectionOf(store.rows.upsert('plain', 'v', [{ Id: 1, v: 'x' }]))).toMatchObject({ message: 'Table plain is keyed by Id, not v.' });
    expect(await rejectionOf(store.rows.page('plain', { keyField: 'v', limit: 1, scope: null }))).toBeInstanceOf(Error);
  });

  it('upsert is all or nothing, across statements too', async () => {
    await store.rows.replaceAll('plain', 'Id', [{ Id: 1, v: 'kept' }]);
    // More rows than one statement takes, the bad one (PostgreSQL text cannot hold NUL) near the end.
    const rows: StoredRow[] = Array.from({ length: 4500 }, (_, i) => ({ Id: i + 1, v: i === 4400 ? 'bad\u0000' : 'new' }));
    await rejectionOf(store.rows.upsert('plain', 'Id', rows));
    expect(await store.rows.count('plain')).toBe(1);
    expect(await store.rows.get('plain', '1')).toEqual({ Id: 1, v: 'kept' });
    await rejectionOf(store.rows.replaceAll('plain', 'Id', rows));
    expect(await store.rows.get('plain', '1')).toEqual({ Id: 1, v: 'kept' });
  });

  it('a store opened with a changed scope field re-scopes the stored rows', async () => {
    await store.rows.replaceAll('strings', 'Code', [{ Code: 'a', Org: 'o1', Team: 't1' }, { Code: 'b', Org: 'o2', Team: 't2' }]);
    const reopened = await openTestStore(database.url, [{ id: 'strings', key: 'Code', scopeField: 'Team' }]);
    try {
      const page = await reopened.rows.page('strings', { keyField: 'Code', limit: 10, scope: { field: 'Team', values: new Set(['t2']) } });
      expect(page.rows).toEqual([{ Code: 'b', Org: 'o2', Team: 't2' }]);
      const scopeValues = await reopened.pool.query("SELECT key, scope_value FROM rows WHERE table_id = 'strings' ORDER BY key");
      expect(scopeValues.rows).toEqual([{ key: 'a', scope_value: 't1' }, { key: 'b', scope_value: 't2' }]);
    } finally {
      await reopened.close();
    }
  });
});
