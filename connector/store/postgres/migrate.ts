import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { packageRoot } from '../../package-root';

// The schema, created and upgraded by the connector itself on start. Migrations are the files
// migrations/NNN_name.sql, applied in version order; `schema_version` holds one row per applied
// version. Several instances may start at once: one transaction under an advisory lock applies
// what is missing, and the others, waiting on the lock, then find nothing left to do.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationResult {
  /** The schema version found (0 for an empty database). */
  from: number;
  /** The schema version now. */
  to: number;
}

export function migrationsDir(): string {
  return join(packageRoot(), 'connector', 'store', 'postgres', 'migrations');
}

/** The migrations in `dir`, by version; versions must run 1, 2, 3 … without a gap. */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = /^(\d+)_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new Error(`Migration file ${file} is not named NNN_name.sql.`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migrations must be numbered 1, 2, 3 … without gaps; found ${migration.version} at position ${index + 1}.`);
  });
  return migrations;
}

/**
 * Brings the database's schema up to the newest migration, in one transaction (all or nothing).
 * A database whose schema is newer than these migrations is refused: this connector would
 * misread it.
 */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationResult> {
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Transaction-scoped and per database: released by COMMIT or ROLLBACK, even if this process dies.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('sheetgate.migrate'))");
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_version');
    const from = rows[0].version ?? 0;
    if (from > known) {
      throw new Error(
        `The database's schema is version ${from}, newer than this Sheetgate knows (version ${known}); ` +
          'run the Sheetgate release that upgraded it, or a newer one.',
      );
    }
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_version (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, known) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
