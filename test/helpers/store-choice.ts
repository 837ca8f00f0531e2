import { describe, inject } from 'vitest';

// The contract tests run on both stores from the same files: test/connector/on-postgres/ imports
// them again with the PostgreSQL store chosen, and the harness opens whichever is chosen.

const CHOICE = 'SHEETGATE_TEST_STORE';

export function testStoreIsPostgres(): boolean {
  return process.env[CHOICE] === 'postgres';
}

/**
 * Registers the tests of a contract test file again, on PostgreSQL (a fresh database per test
 * context). Skipped only where the run has no PostgreSQL at all, which never happens on CI.
 */
export async function onPostgres(load: () => Promise<unknown>): Promise<void> {
  if (inject('postgresUrl') === null) {
    describe.skip('on PostgreSQL (no PostgreSQL for this run)', () => {});
    return;
  }
  process.env[CHOICE] = 'postgres';
  // The properties' logic is the store's to get right only in how it stores: fewer runs here than
  // on the embedded store (which runs the full count), each on a fresh database.
  process.env.REACH_RUNS ??= '15';
  process.env.VISIBILITY_RUNS ??= '12';
  await load();
}
