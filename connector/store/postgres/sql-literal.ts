import pg from 'pg';

// Values written into a statement's text, for statements that take no parameters (COPY, in
// copy-rows.ts). Only the code's own statements and values of the kinds below: never a caller's SQL.

/**
 * A value as an SQL literal, for statements that cannot take parameters (COPY): text quoted by
 * pg's own escaping, bytes as hex, integers as digits, text arrays element by element. Anything
 * else is refused rather than guessed.
 */
export function sqlLiteral(value: unknown): string {
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (Buffer.isBuffer(value)) return `decode('${value.toString('hex')}', 'hex')`;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return `ARRAY[${value.map((item) => pg.escapeLiteral(item)).join(', ')}]::text[]`;
  throw new Error(`No SQL literal for ${typeof value}.`);
}

/** `sql` with each `$n` replaced by `values[n - 1]` as a literal (the code's own statements only). */
export function withLiterals(sql: string, values: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index >= values.length) throw new Error(`No value for $${n}.`);
    return sqlLiteral(values[index]);
  });
}
