import type pg from 'pg';
import { silentLogger, type Logger } from '../../logger';
import type { Store } from '../types';
import { PostgresAuditLog } from './audit-log';
import { CredentialUsage } from './credential-usage';
import { migrate } from './migrate';
import { createPool, type PoolOptions } from './pool';
import { PostgresRowRepository, type RowTable } from './row-repository';
import { syncScopeValues } from './row-scopes';
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
 * rows were written: a pass over a table's rows only when it did (row-scopes.ts, row-texts.ts).
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
      const rescoped = await syncScopeValues(pool, table.id, table.scopeField);
      // Worth a line: it explains a slower start (a pass over the table), once per change.
      if (rescoped !== null && !isNew) log.info('row_scopes_derived', { table: table.id, scopeField: table.scopeField, rows: rescoped });
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
