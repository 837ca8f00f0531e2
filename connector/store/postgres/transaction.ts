import type pg from 'pg';

/**
 * Runs `work` between BEGIN and COMMIT on one pooled client; any error rolls it all back. `last`,
 * when given, is the transaction's final statement (no parameters): it is sent with the COMMIT in
 * one message, a round trip saved, and if it fails nothing of the transaction is kept.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, last?: () => string | null): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    const final = last?.();
    await client.query(final ? `${final}; COMMIT` : 'COMMIT');
    return result;
  } catch (error) {
    // A connection whose ROLLBACK fails is in no known state: the pool drops it rather than reuse it.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
