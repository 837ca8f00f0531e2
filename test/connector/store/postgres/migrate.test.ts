import { afterEach, beforeEach, expect, it } from 'vitest';
import type pg from 'pg';
import { loadMigrations, migrate } from '../../../../connector/store/postgres/migrate';
import { createPool } from '../../../../connector/store/postgres/pool';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../../../helpers/postgres';

describeWithPostgres('migrate', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const latest = loadMigrations().length;

  beforeEach(async () => {
    database = await createTestDatabase();
    pool = createPool(database.url);
  });
  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const versions = async () => (await pool.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).rows.map((row) => row.version);

  it('creates the schema on an empty database, and a second run changes nothing', async () => {
    expect(await migrate(pool)).toEqual({ from: 0, to: latest });
    const tables = async () =>
      (await pool.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).rows.map((row) => row.name);
    const before = await tables();
    expect(before).toEqual(expect.arrayContaining(['users', 'credentials', 'audit', 'rows', 'schema_version']));

    expect(await migrate(pool)).toEqual({ from: latest, to: latest });
    expect(await tables()).toEqual(before);
    expect(await versions()).toEqual(Array.from({ length: latest }, (_, index) => index + 1));
  });

  it('is safe when five instances start on a fresh database at once', async () => {
    const pools = Array.from({ length: 5 }, () => createPool(database.url, { max: 1 }));
    try {
      const results = await Promise.all(pools.map((each) => migrate(each)));
      expect(results.filter((result) => result.from === 0)).toHaveLength(1);
      expect(results.every((result) => result.to === latest)).toBe(true);
    } finally {
      await Promise.all(pools.map((each) => each.end()));
    }
    expect(await versions()).toEqual(Array.from({ length: latest }, (_, index) => index + 1));
  });

  it('refuses a database whose schema is newer than it knows, and leaves it untouched', async () => {
    await migrate(pool);
    await pool.query("INSERT INTO schema_version (version, name) VALUES ($1, 'from_the_future')", [latest + 1]);
    await expect(migrate(pool)).rejects.toThrow(`The database's schema is version ${latest + 1}, newer than this Sheetgate knows (version ${latest})`);
    expect(await versions()).toContain(latest + 1);
  });

  it('applies only the missing migrations, all or nothing', async () => {
    const first = loadMigrations().slice(0, 1);
    expect(await migrate(pool, first)).toEqual({ from: 0, to: 1 });
    const broken = [...first, { version: 2, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function()' }];
    await expect(migrate(pool, broken)).rejects.toThrow(/no_such_function/);
    expect(await versions()).toEqual([1]);
    const { rows } = await pool.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    expect(rows).toEqual([]);
  });
});
