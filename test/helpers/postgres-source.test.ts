import { describe, expect, it } from 'vitest';
import { postgresSource } from './postgres-source';

describe('where a test run gets PostgreSQL', () => {
  const bin = '/usr/lib/postgresql/15/bin';

  it('uses the server SHEETGATE_TEST_DATABASE_URL names, with or without binaries', () => {
    const url = 'postgres://tester@db.example:5432/postgres';
    expect(postgresSource({ SHEETGATE_TEST_DATABASE_URL: url, CI: 'true' }, null)).toEqual({ kind: 'given', url });
    expect(postgresSource({ SHEETGATE_TEST_DATABASE_URL: url }, bin)).toEqual({ kind: 'given', url });
  });

  it('starts a throwaway cluster from the binaries found otherwise', () => {
    expect(postgresSource({ CI: 'true' }, bin)).toEqual({ kind: 'cluster', binDir: bin });
  });

  it('on CI, missing PostgreSQL fails the run loudly instead of skipping', () => {
    expect(() => postgresSource({ CI: 'true' }, null)).toThrow(/PostgreSQL is not installed.*install Debian's postgresql.*SHEETGATE_TEST_DATABASE_URL/);
  });

  it("on a developer's machine, missing PostgreSQL skips those tests with a warning", () => {
    expect(postgresSource({}, null)).toEqual({ kind: 'none', warning: expect.stringContaining('the PostgreSQL store tests are skipped') });
  });
});
