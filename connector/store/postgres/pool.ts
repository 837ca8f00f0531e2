import pg from 'pg';

export interface PoolOptions {
  /** Connections per instance; several instances share the server's max_connections. */
  max?: number;
  /** Shown in pg_stat_activity, to tell instances apart. */
  applicationName?: string;
  /** Longest one statement may run, in ms (default 30 s); a bulk copy may need more. */
  statementTimeoutMs?: number;
  /** An idle connection's error (the server restarted, a network drop): the pool has dropped it already. */
  onIdleError?: (error: Error) => void;
}

/** A pg Pool on `url` (a postgres:// or postgresql:// URL). */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('The database URL must be a postgres:// or postgresql:// URL.');
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'sheetgate',
    // Fail a request rather than queue it forever when the server or the pool is exhausted.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A runaway query must not hold a connection for good.
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    // A transaction left open by a bug would hold its locks until the process ended.
    idle_in_transaction_session_timeout: 60_000,
    // pg reads every text as UTF-8; the server must send it so whatever the database's encoding
    // (a page's kept texts come as raw bytes through COPY and are sent on as they are).
    client_encoding: 'UTF8',
    types: { getTypeParser },
  });
  // Without a listener an idle connection's error is an unhandled 'error' event: the process would crash.
  pool.on('error', options.onIdleError ?? (() => {}));
  return pool;
}

const TIMESTAMPTZ = 1184;
const INT8 = 20;
const defaultParser = pg.types.getTypeParser;
const parseDate = defaultParser(TIMESTAMPTZ) as (text: string) => Date;
const parseTimestamp = (text: string) => parseDate(text).toISOString();
const parseCount = (text: string) => Number(text);

/**
 * Values read as the connector's entities hold them: a timestamptz as the ISO string the embedded
 * store writes (`toISOString()`, UTC, milliseconds), so both stores answer the same text; a bigint
 * (`count(*)`) as a number, which every count here fits.
 */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') => {
  if (format !== 'binary') {
    if (oid === TIMESTAMPTZ) return parseTimestamp;
    if (oid === INT8) return parseCount;
  }
  return defaultParser(oid, format as 'text');
}) as typeof pg.types.getTypeParser;
