import type pg from 'pg';

/** The pool (autocommit reads) or one transaction's client: what the repositories query through. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(query: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

const names = new Map<string, string>();

/**
 * A hot statement as a named (prepared) one: each connection parses and plans it once, then only
 * binds values. One name per distinct text, as the server requires; the texts are the code's own
 * (a bounded set), never built from request values. It keeps a plan, never an answer: every call
 * still reads the rows as they are now, so no write on another instance is missed. The rows page
 * is left unprepared: its plan depends on the scope's values, and a generic plan was not measured
 * to help.
 */
export function prepared(text: string): pg.QueryConfig {
  let name = names.get(text);
  if (name === undefined) {
    name = `sheetgate_${names.size + 1}`;
    names.set(text, name);
  }
  return { name, text };
}
