import { afterEach, beforeEach, expect, it } from 'vitest';
import type pg from 'pg';
import type { Logger } from '../../../../connector/logger';
import { openPostgresStore, type PostgresStore } from '../../../../connector/store/postgres/open-postgres-store';
import { createPool } from '../../../../connector/store/postgres/pool';
import type { RowTable } from '../../../../connector/store/postgres/row-repository';
import { deriveScopeValues } from '../../../../connector/store/postgres/row-scopes';
import type { RowKey, StoredRow } from '../../../../connector/store/types';
import type { TableDefinition } from '../../../../connector/tables/definition';
import { rowTextFormats } from '../../../../connector/tables/row-texts';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';

// Which field each table's scope_value is derived from (connector/store/postgres/row-scopes.ts):
// derived again at open only when the definition's scope field changed, and never trusted by a
// page, nor written by a writer, against the recorded field.

const definition: TableDefinition = {
  id: 'things',
  title: 'Things',
  section: 'Test',
  key: 'Id',
  scope: { by: 'organization', field: 'Org' },
  fields: ['Id', 'Org', 'Team'].map((name) => ({ name, type: 'string', format: 'basic' })),
};
/** The table as an instance whose definition scopes it by `scopeField` opens it. */
const tableBy = (scopeField: string | null): RowTable => ({ id: 'things', key: 'Id', scopeField, texts: rowTextFormats(definition) });

// Both fields take the values x and y, differently: a page trusting scope values of the other
// field would serve rows of another scope, which the exact comparisons below would show.
const rows: StoredRow[] = Array.from({ length: 12 }, (_, i) => ({
  Id: `T${String(i).padStart(2, '0')}`,
  Org: i % 2 ? 'x' : 'y',
  ...(i === 5 ? { Team: 7 } : i === 8 ? {} : { Team: i % 3 ? 'y' : 'x' }),
}));
const inScope = (of: readonly StoredRow[], field: string, value: string) => of.filter((row) => row[field] === value);
const derived = (of: readonly StoredRow[], field: string) => of.map((row) => (typeof row[field] === 'string' ? row[field] : null));

describeWithPostgres('the field scope values are derived from (PostgreSQL)', () => {
  let database: TestDatabase;
  let sql: pg.Pool;
  const opened: PostgresStore[] = [];

  beforeEach(async () => {
    database = await createTestDatabase({ migrated: true });
    sql = createPool(database.url, { max: 2 });
    // Every UPDATE statement on rows leaves a line, even one that changes no row: a derivation's pass.
    await sql.query(`
      CREATE TABLE updates_seen (n serial);
      CREATE FUNCTION note_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO updates_seen DEFAULT VALUES; RETURN NULL; END $$;
      CREATE TRIGGER note_update AFTER UPDATE ON rows FOR EACH STATEMENT EXECUTE FUNCTION note_update();`);
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await sql.end();
    await database.drop();
  });

  /** Opens the store as an instance with that scope field; what it logged goes to `events`. */
  const open = async (scopeField: string | null, events: string[] = []) => {
    const log: Logger = { info: (event) => events.push(event), warn: () => {}, error: () => {} };
    const store = await openPostgresStore(database.url, { tables: [tableBy(scopeField)], log, pool: { max: 2 } });
    opened.push(store);
    return store;
  };
  /** `rows` written by an instance scoped by `scopeField`, which then stopped; no UPDATE seen yet. */
  const writtenThenStopped = async (scopeField: string) => {
    const store = await open(scopeField);
    await store.rows.upsert('things', 'Id', rows);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    await sql.query('TRUNCATE updates_seen');
  };
  const updates = async () => (await sql.query<{ n: number }>('SELECT count(*)::integer AS n FROM updates_seen')).rows[0].n;
  const record = async () => (await sql.query<{ scope_field: string | null }>("SELECT scope_field FROM row_scope_fields WHERE table_id = 'things'")).rows;
  const scopeValues = async () =>
    (await sql.query<{ scope_value: string | null }>("SELECT scope_value FROM rows WHERE table_id = 'things' ORDER BY key")).rows.map((row) => row.scope_value);

  /** Every row of the scope `field` = `value`, page by page (2 a page), through page and, unfiltered, textPage. */
  async function scoped(store: PostgresStore, field: string, value: string, where?: (row: StoredRow) => boolean): Promise<StoredRow[]> {
    const query = { keyField: 'Id', limit: 2, scope: { field, values: new Set([value]) }, where };
    const seen: StoredRow[] = [];
    const texts: StoredRow[] = [];
    let after: RowKey | undefined;
    let textAfter: RowKey | undefined;
    for (let more = true; more; ) {
      const page = await store.rows.page('things', { ...query, after });
      seen.push(...page.rows);
      after = page.rows.at(-1)?.Id as RowKey;
      more = page.more;
    }
    for (let more = !where; more; ) {
      const page = (await store.rows.textPage!('things', 'basic', { ...query, after: textAfter }))!;
      if (page.count > 0) texts.push(...(JSON.parse(`[${page.rows}]`) as StoredRow[]));
      textAfter = page.lastKey;
      more = page.more;
    }
    // The texts are the basic projection (a missing field shown as null): the same rows, by key.
    if (!where) expect(texts.map((row) => row.Id)).toEqual(seen.map((row) => row.Id));
    return seen;
  }

  it('a start with the scope field already recorded derives nothing: no pass over the rows', async () => {
    await writtenThenStopped('Org');

    const events: string[] = [];
    const again = await open('Org', events);
    await open('Org', events);
    expect(await updates()).toBe(0);
    expect(events).not.toContain('row_scopes_derived');
    expect(await record()).toEqual([{ scope_field: 'Org' }]);
    expect(await scoped(again, 'Org', 'x')).toEqual(inScope(rows, 'Org', 'x'));
  });

  it('an unscoped table is recorded without a field, and a second start leaves it as well', async () => {
    const store = await open(null);
    await store.rows.upsert('things', 'Id', rows);
    expect(await record()).toEqual([{ scope_field: null }]);
    expect(await scopeValues()).toEqual(rows.map(() => null));
    await sql.query('TRUNCATE updates_seen');
    await open(null);
    expect(await updates()).toBe(0);
  });

  it('a changed scope field derives every row again at open, before it serves: a reader gets exactly its scope', async () => {
    await writtenThenStopped('Org');
    expect(await scopeValues()).toEqual(derived(rows, 'Org'));

    const events: string[] = [];
    const changed = await open('Team', events);
    expect(events.filter((event) => event === 'row_scopes_derived')).toHaveLength(1);
    expect(await record()).toEqual([{ scope_field: 'Team' }]);
    expect(await scopeValues()).toEqual(derived(rows, 'Team'));
    for (const value of ['x', 'y']) expect(await scoped(changed, 'Team', value)).toEqual(inScope(rows, 'Team', value));
    // A row whose Team is a number, or missing, is in no scope.
    expect(await scoped(changed, 'Team', '7')).toEqual([]);
  });

  it('instances starting at once with a changed field take turns: one derives, the others find it done', async () => {
    await writtenThenStopped('Org');

    const events: string[] = [];
    const stores = await Promise.all([open('Team', events), open('Team', events), open('Team', events)]);
    expect(events.filter((event) => event === 'row_scopes_derived')).toHaveLength(1);
    expect(await updates()).toBe(1);
    expect(await scopeValues()).toEqual(derived(rows, 'Team'));
    for (const store of stores) expect(await scoped(store, 'Team', 'x')).toEqual(inScope(rows, 'Team', 'x'));
  });

  it('an instance on the older definition writes rows scoped by the recorded field, and reads its own scope from data', async () => {
    const old = await open('Org');
    await old.rows.upsert('things', 'Id', rows);
    const current = await open('Team');
    expect(await record()).toEqual([{ scope_field: 'Team' }]);

    // The old instance replaces a row (now Team x) and adds two.
    const written = [{ Id: 'T01', Org: 'x', Team: 'x' }, { Id: 'T20', Org: 'y', Team: 'x' }, { Id: 'T21', Org: 'x', Team: 'y' }];
    await old.rows.upsert('things', 'Id', written);
    const now = [...rows.filter((row) => row.Id !== 'T01'), ...written].sort((a, b) => String(a.Id).localeCompare(String(b.Id)));
    expect(await scopeValues()).toEqual(derived(now, 'Team'));

    for (const value of ['x', 'y']) {
      expect(await scoped(current, 'Team', value)).toEqual(inScope(now, 'Team', value));
      // The stored scope values are Team's; the old instance still serves Org's scope, exactly.
      expect(await scoped(old, 'Org', value)).toEqual(inScope(now, 'Org', value));
    }
    const even = (row: StoredRow) => Number(String(row.Id).slice(1)) % 2 === 0;
    expect(await scoped(old, 'Org', 'x', even)).toEqual(inScope(now, 'Org', 'x').filter(even));

    // And back: an instance started with Org derives again; the Team instance, now the stale one, stays exact.
    await open('Org');
    expect(await scopeValues()).toEqual(derived(now, 'Org'));
    expect(await scoped(current, 'Team', 'x')).toEqual(inScope(now, 'Team', 'x'));
    expect(await scoped(old, 'Org', 'y')).toEqual(inScope(now, 'Org', 'y'));
  });

  it('a write waits while another instance derives the table again, then derives from the new field', async () => {
    const old = await open('Org');
    await old.rows.upsert('things', 'Id', rows);
    // Another instance, starting with Team, mid-way: the rows derived, not yet committed.
    const deriving = await sql.connect();
    try {
      await deriving.query('BEGIN');
      expect(await deriveScopeValues(deriving, 'things', 'Team')).toBeGreaterThan(0);
      const write = old.rows.upsert('things', 'Id', [{ Id: 'T30', Org: 'x', Team: 'y' }]);
      await waitForALockWaiter();
      await deriving.query('COMMIT');
      await write;
    } finally {
      deriving.release();
    }
    const now = [...rows, { Id: 'T30', Org: 'x', Team: 'y' }];
    expect(await scopeValues()).toEqual(derived(now, 'Team'));
  });

  it('a table without a record (rows from before the record existed) is derived again at the next open', async () => {
    const first = await open('Org');
    await first.rows.upsert('things', 'Id', rows);
    await sql.query("DELETE FROM row_scope_fields WHERE table_id = 'things'");
    await sql.query("UPDATE rows SET scope_value = 'x'");
    // Meanwhile, what an instance writes is in no scope, and what it serves is still exact.
    await first.rows.upsert('things', 'Id', [{ Id: 'T40', Org: 'y' }]);
    expect((await scopeValues()).at(-1)).toBeNull();
    const now = [...rows, { Id: 'T40', Org: 'y' }];
    expect(await scoped(first, 'Org', 'y')).toEqual(inScope(now, 'Org', 'y'));

    await open('Org');
    expect(await record()).toEqual([{ scope_field: 'Org' }]);
    expect(await scopeValues()).toEqual(derived(now, 'Org'));
  });

  /** Until a session of this database waits on an advisory lock (a writer behind the deriving one). */
  async function waitForALockWaiter(): Promise<void> {
    for (let tries = 0; tries < 500; tries++) {
      const { rows: waiting } = await sql.query(
        "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      if (waiting.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('no session came to wait on the scope lock');
  }
});
