import { afterEach, beforeEach, expect, it } from 'vitest';
import type pg from 'pg';
import type { DataFormat } from '../../../../connector/contract';
import { openPostgresStore, type PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import { createPool } from '../../../../connector/store/postgres/pool';
import type { RowTable } from '../../../../connector/store/postgres/row-repository';
import type { RowKey, StoredRow } from '../../../../connector/store/types';
import type { TableDefinition } from '../../../../connector/tables/definition';
import { projectionFor } from '../../../../connector/tables/projection';
import { rowTextFormats } from '../../../../connector/tables/row-texts';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';

// Rows kept serialized per format on PostgreSQL (connector/store/postgres/row-texts.ts): filled on
// every write, served only under the reader's own fingerprint, rewritten when a definition changes.

const v1: TableDefinition = {
  id: 'things',
  title: 'Things',
  section: 'Test',
  key: 'Id',
  scope: { by: 'organization', field: 'Org' },
  fields: [
    { name: 'Id', type: 'string', format: 'basic' },
    { name: 'Name', type: 'string', format: 'basic' },
    { name: 'Price', type: 'number', format: 'standard' },
    { name: 'Org', type: 'string', format: 'detail' },
  ],
};
/** `Price` moves from standard to detail: standard's and basic's texts differ no more for basic. */
const v2: TableDefinition = { ...v1, fields: v1.fields.map((field) => (field.name === 'Price' ? { ...field, format: 'detail' } : field)) };
/**
 * A standard sub-resource reads a viewer lookup: from standard up, no text is kept. (A top-level
 * derived field would not stop it: a viewer without the lookup lacks the field, and the kept text
 * is theirs; a viewer with it gets a field set that is never kept.)
 */
const v3: TableDefinition = {
  ...v1,
  lookups: { mine: { setting: 'priceCustomer' } },
  fields: [
    ...v1.fields,
    { name: 'Subs', type: 'table', format: 'standard', fields: [{ name: 'Mine', type: 'string', format: 'standard', from: { lookup: 'mine' } }] },
  ],
};

const tableOf = (definition: TableDefinition): RowTable => ({ id: definition.id, key: 'Id', scopeField: 'Org', texts: rowTextFormats(definition) });
const open = (url: string, definition: TableDefinition) => openPostgresStore(url, { tables: [tableOf(definition)], pool: { max: 3 } });

const rows: StoredRow[] = Array.from({ length: 25 }, (_, i) => ({ Id: `T${String(i).padStart(3, '0')}`, Name: `Thing ${i}`, Price: i * 1.5, Org: i % 2 ? 'o1' : 'o2' }));
const query = (limit = 10) => ({ keyField: 'Id', limit, scope: null });

/** Every page of `format` through textPage, their rows joined as one page would join them. */
async function textsOf(store: PostgresStore, format: DataFormat, limit = 10, where?: (row: StoredRow) => boolean, table = 'things'): Promise<string> {
  const pages: string[] = [];
  let after: RowKey | undefined;
  for (;;) {
    const page = (await store.rows.textPage!(table, format, { ...query(limit), after, where }))!;
    expect(page.count).toBeLessThanOrEqual(limit);
    if (page.count > 0) pages.push(joined(page.rows));
    if (!page.more) return pages.join(',');
    expect(page.count).toBe(limit);
    after = page.lastKey;
  }
}

/** A page's texts as one string (the store hands them on as UTF-8 pieces). */
const joined = (pieces: readonly Uint8Array[]) => Buffer.concat(pieces).toString('utf8');

/** The n-th row of a joined text. */
const rowAt = (joined: string, n: number) => JSON.stringify((JSON.parse(`[${joined}]`) as unknown[])[n]);

const texts = (definition: TableDefinition, format: DataFormat, of: readonly StoredRow[] = rows) =>
  of.map((row) => JSON.stringify(projectionFor(definition, format).project(row)));
const expected = (definition: TableDefinition, format: DataFormat, of: readonly StoredRow[] = rows) => texts(definition, format, of).join(',');

describeWithPostgres('rows kept serialized per format (PostgreSQL)', () => {
  let database: TestDatabase;
  let sql: pg.Pool;
  const opened: PostgresStore[] = [];
  const stored = async (column: string) =>
    (await sql.query<{ text: string | null }>(`SELECT ${column} AS text FROM rows WHERE table_id = 'things' ORDER BY sort_key`)).rows.map((row) => row.text);

  beforeEach(async () => {
    database = await createTestDatabase({ migrated: true });
    sql = createPool(database.url, { max: 1 });
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await sql.end();
    await database.drop();
  });

  const openTracked = async (definition: TableDefinition) => {
    const store = await open(database.url, definition);
    opened.push(store);
    return store;
  };

  it('a write fills every format\'s text; a page reads them, in pages, with the next page\'s key', async () => {
    const store = await openTracked(v1);
    await store.rows.upsert('things', 'Id', rows);
    expect(await stored('json_standard')).toEqual(texts(v1, 'standard'));
    expect(await stored('json_basic')).toEqual(texts(v1, 'basic'));
    for (const limit of [1, 7, 10, 25, 100]) expect(await textsOf(store, 'standard', limit)).toEqual(expected(v1, 'standard'));
    // The texts, not `data`, are what is served: a text changed behind the store's back shows.
    await sql.query(`UPDATE rows SET json_standard = '{"kept":true}' WHERE key = 'T003'`);
    expect(rowAt(await textsOf(store, 'standard'), 3)).toBe('{"kept":true}');
  });

  it('a changed row is served changed; a row without text (written elsewhere) is serialized from data', async () => {
    const store = await openTracked(v1);
    await store.rows.upsert('things', 'Id', rows);
    const changed = { ...rows[4], Name: 'Renamed' };
    await store.rows.upsert('things', 'Id', [changed]);
    await sql.query(`UPDATE rows SET json_standard = NULL WHERE key = 'T007'`);
    const now = rows.map((row, i) => (i === 4 ? changed : row));
    expect(await textsOf(store, 'standard')).toEqual(expected(v1, 'standard', now));
  });

  it('filters run on data and the page is still the kept texts', async () => {
    const store = await openTracked(v1);
    await store.rows.upsert('things', 'Id', rows);
    const odd = (row: StoredRow) => (row.Price as number) % 3 === 0;
    expect(await textsOf(store, 'standard', 3, odd)).toEqual(expected(v1, 'standard', rows.filter(odd)));
    const page = (await store.rows.textPage!('things', 'standard', { ...query(5), scope: { field: 'Org', values: new Set(['o1']) } }))!;
    expect(joined(page.rows)).toEqual(texts(v1, 'standard', rows.filter((row) => row.Org === 'o1')).slice(0, 5).join(','));
    expect((await store.rows.textPage!('things', 'standard', { ...query(5), scope: { field: 'Org', values: new Set() } }))!).toEqual({
      rows: [],
      count: 0,
      lastKey: undefined,
      more: false,
    });
  });

  it('a definition change refills the texts at open; an instance on the old definition never serves them', async () => {
    const old = await openTracked(v1);
    await old.rows.upsert('things', 'Id', rows);
    const changed = await openTracked(v2);
    expect(await stored('json_standard')).toEqual(texts(v2, 'standard'));
    expect(await stored('json_basic')).toEqual(texts(v2, 'basic'));
    expect(await textsOf(changed, 'standard')).toEqual(expected(v2, 'standard'));
    // The old instance reads v2's texts under a fingerprint not its own: it serializes from data.
    expect(await textsOf(old, 'standard')).toEqual(expected(v1, 'standard'));
    // …and what it writes carries no text of a format whose fingerprint is not its own.
    await old.rows.upsert('things', 'Id', [{ ...rows[0], Name: 'By the old one' }]);
    expect((await stored('json_standard'))[0]).toBeNull();
    expect(rowAt(await textsOf(changed, 'standard'), 0)).toBe(expected(v2, 'standard', [{ ...rows[0], Name: 'By the old one' }]));
  });

  it('a format that comes to read a viewer lookup keeps no texts; instances opening at once agree', async () => {
    const first = await openTracked(v1);
    await first.rows.upsert('things', 'Id', rows);
    await first.close();
    opened.splice(0);
    const [a, b] = await Promise.all([openTracked(v3), openTracked(v3)]);
    expect(await stored('json_standard')).toEqual(rows.map(() => null));
    expect(await stored('json_basic')).toEqual(texts(v3, 'basic'));
    const formats = await sql.query<{ format: string }>("SELECT format FROM row_text_formats WHERE table_id = 'things' ORDER BY format");
    expect(formats.rows.map((row) => row.format)).toEqual(['basic']);
    expect(await a.rows.textPage!('things', 'standard', query())).toBeUndefined();
    expect(await textsOf(b, 'basic')).toEqual(expected(v3, 'basic'));
  });

  it('numeric keys page by their number, the next page starting after the last key as a number', async () => {
    const numbered: TableDefinition = { ...v1, id: 'numbered', fields: [{ name: 'Id', type: 'number', format: 'basic' }, ...v1.fields.slice(1)] };
    const store = await openPostgresStore(database.url, { tables: [{ ...tableOf(numbered), id: 'numbered' }], pool: { max: 2 } });
    opened.push(store);
    const many = [10, 9, 100, -1.5, 2].map((Id) => ({ Id, Name: `N${Id}`, Price: 1, Org: 'o1' }));
    await store.rows.upsert('numbered', 'Id', many);
    const sorted = [...many].sort((a, b) => a.Id - b.Id);
    expect(await textsOf(store, 'standard', 2, undefined, 'numbered')).toBe(expected(numbered, 'standard', sorted));
    expect((await store.rows.textPage!('numbered', 'standard', query(2)))!.lastKey).toBe(2);
  });
});
