import type pg from 'pg';
import { silentLogger, type Logger } from '../../logger';
import type { Store } from '../types';
import { PostgresAuditLog } from './audit-log';
import { CredentialUsage } from './credential-usage';
import { migrate } from './migrate';
import { createPool, type PoolOptions } from './pool';
import { PostgresRowRepository, type RowTable } from './row-repository';
import { syncRowTexts } from './row-texts';
import { PostgresSecurityRepository } from './security-repository';

const READY_TIMEOUT_MS = 2000;

export interface PostgresStoreOptions {
  /** Every table of the catalog, with its definition's key and scope field. */
  tables: readonly RowTable[];
  log?: Logger;
  pool?: PoolOptions;
}

export interface PostgresStore extends Store {
  /** The store's pool, for what shares its connections (the cluster rate limit, pool metrics). */
  readonly pool: pg.Pool;
  /**
   * True when this process created the schema: of instances starting at once on an empty database
   * exactly one sees it (migrations run under an advisory lock), so exactly one seeds the demo.
   */
  readonly isNew: boolean;
}

/**
 * Opens the store on the PostgreSQL database at `url`: migrates its schema (safe when several
 * instances start at once), and brings each table's stored scope values and kept texts in line
 * with its definition (its scope field, its formats' fields), which may have changed since the
 * rows were written.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
  const log = options.log ?? silentLogger;
  const pool = createPool(url, {
    onIdleError: (error) => log.warn('database_connection_lost', { message: error.message }),
    ...options.pool,
  });
  let isNew: boolean;
  try {
    isNew = (await migrate(pool)).from === 0;
    for (const table of options.tables) {
      await refreshScopeValues(pool, table);
      await syncRowTexts(pool, table.id, table.texts ?? []);
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const usage = new CredentialUsage(pool, log);
  const audit = new PostgresAuditLog(pool, log);
  let closing: Promise<void> | undefined;
  return {
    pool,
    isNew,
    security: new PostgresSecurityRepository(pool, usage),
    rows: new PostgresRowRepository(pool, options.tables),
    audit,
    async ready() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, READY_TIMEOUT_MS, false)));
      const answer = pool.query('SELECT 1').then(() => true, () => false);
      try {
        return await Promise.race([answer, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        try {
          await Promise.all([usage.flush(), audit.flush()]);
        } finally {
          await pool.end();
        }
      })();
      return closing;
    },
  };
}

/** Sets `scope_value` from the table's scope field where it differs (a string value, else null). */
async function refreshScopeValues(pool: pg.Pool, table: RowTable): Promise<void> {
  const value = `CASE WHEN jsonb_typeof(data -> $2::text) = 'string' THEN data ->> $2::text END`;
  await pool.query(`UPDATE rows SET scope_value = ${value} WHERE table_id = $1 AND scope_value IS DISTINCT FROM ${value}`, [
    table.id,
    table.scopeField,
  ]);
}
