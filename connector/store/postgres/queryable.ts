import type pg from 'pg';

/** The pool (autocommit reads) or one transaction's client: what the repositories query through. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>>;
}
