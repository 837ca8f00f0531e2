import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, TEST_ENV } from '../../helpers/connector-process';
import { bootstrapAdmin, failureLine } from '../../helpers/connector-http';

let root: string;
let withAdmin: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheetgate-badargs-'));
  withAdmin = join(root, 'with-admin');
  await bootstrapAdmin(withAdmin);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
const fresh = () => join(root, `dir-${++counter}`);

// Spawning ~14 processes is slow on a busy machine: a longer time limit than the default.
it('exits non-zero with exactly one clear line on stderr, and no stack trace, for each kind of bad input', { timeout: 45_000 }, async () => {
  const corrupt = fresh();
  await mkdir(corrupt);
  await writeFile(join(corrupt, 'security.json'), '{"schemaVersion":1,"users":[');

  const cases: Array<{ args: string[]; env?: NodeJS.ProcessEnv; line: RegExp }> = [
    { args: [], line: /Name a command/ },
    { args: ['frobnicate'], line: /Unknown command "frobnicate"/ },
    { args: ['serve', '--bogus', '--data', fresh()], line: /Unknown option '--bogus'\.(?!.*To specify)/ },
    { args: ['bootstrap-admin', '--data', fresh(), '--email', 'a@example.com'], line: /--username is required/ },
    { args: ['serve', '--port', 'abc', '--data', fresh()], line: /--port must be .*"abc"/ },
    { args: ['serve', '--port', '70000', '--data', fresh()], line: /--port must be a whole number from 0 to 65535, not "70000"/ },
    { args: ['serve', '--data', corrupt, '--port', '0'], line: /security\.json is not valid JSON/ },
    { args: ['import', 'products', join(root, 'missing.csv'), '--data', fresh()], line: /"missing\.csv" cannot be read/ },
    { args: ['import', 'nosuch', join(root, 'x.csv'), '--data', fresh()], line: /No table "nosuch"/ },
    { args: ['authorize', 'nobody', '--data', fresh()], line: /No user "nobody"/ },
    { args: ['users', 'grant', 'root', 'customers=gold', '--data', withAdmin], line: /"gold" is not a format/ },
    { args: ['users', 'list', '--data', fresh()], env: { ...TEST_ENV, SHEETGATE_RATE_LIMIT: 'lots' }, line: /SHEETGATE_RATE_LIMIT must look like/ },
    { args: ['users', 'list', '--data', fresh()], env: { ...TEST_ENV, SHEETGATE_SECRET: 'short' }, line: /SHEETGATE_SECRET must be at least 32 characters/ },
  ];
  // Three at a time: every case has its own data directory (or none), so they cannot meet.
  const results: Array<{ args: string[]; line: string | Error }> = [];
  for (let i = 0; i < cases.length; i += 3) {
    const batch = cases.slice(i, i + 3);
    const outcomes = await Promise.all(batch.map((c) => runCli(c.args, c.env)));
    outcomes.forEach((result, j) => {
      let line: string | Error;
      try {
        line = failureLine(result);
      } catch (error) {
        line = error as Error;
      }
      results.push({ args: batch[j].args, line });
    });
  }
  // Every case is checked before failing, so one run shows every unclear message.
  const problems = results.flatMap(({ args, line }, i) => {
    const name = `sheetgate ${args.join(' ')}`;
    if (line instanceof Error) return [`${name}: ${line.message}`];
    if (!cases[i].line.test(line)) return [`${name}: ${JSON.stringify(line)} does not match ${cases[i].line}`];
    if (line.includes(TEST_ENV.SHEETGATE_SECRET)) return [`${name}: prints the secret`];
    return [];
  });
  expect(problems).toEqual([]);
});
