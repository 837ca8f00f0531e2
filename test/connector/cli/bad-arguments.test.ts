import { existsSync } from 'node:fs';
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
/** An existing, empty data directory of its own (commands other than serve refuse a missing one). */
async function existing(): Promise<string> {
  const dir = fresh();
  await mkdir(dir);
  return dir;
}

// Spawning ~20 processes is slow on a busy machine: a longer time limit than the default.
it('exits non-zero with exactly one clear line on stderr, and no stack trace, for each kind of bad input', { timeout: 45_000 }, async () => {
  const corrupt = fresh();
  await mkdir(corrupt);
  await writeFile(join(corrupt, 'security.json'), '{"schemaVersion":1,"users":[');

  const cases: Array<{ args: string[]; env?: NodeJS.ProcessEnv; line: RegExp; code?: number }> = [
    { args: [], line: /Name a command/ },
    { args: ['frobnicate'], line: /Unknown command 'frobnicate'\. Usage: sheetgate <command> \[options\]/ },
    { args: ['serve', '--bogus', '--data', fresh()], line: /^Error: Unknown option '--bogus'\. Usage: sheetgate serve \[options\] \(see "sheetgate serve --help"\)\.$/ },
    { args: ['users', 'list', '--bogus', '--data', withAdmin], line: /Unknown option '--bogus'\. Usage: sheetgate users list \[options\]/ },
    { args: ['users', 'frobnicate'], line: /Unknown users action "frobnicate"; the actions are list, show, create/ },
    { args: ['authorize', '--data', withAdmin], line: /Missing required argument 'user'\. Usage: sheetgate authorize \[options\] <user>/ },
    { args: ['bootstrap-admin', '--data', fresh(), '--email', 'a@example.com'], line: /Required option '--username <name>' not specified/ },
    { args: ['serve', '--port', 'abc', '--data', fresh()], line: /--port must be .*"abc"/ },
    { args: ['serve', '--port', '70000', '--data', fresh()], line: /--port must be a whole number from 0 to 65535, not "70000"/ },
    // A damaged store is no bad input: exit 1.
    { args: ['serve', '--data', corrupt, '--port', '0'], line: /security\.json is not valid JSON/, code: 1 },
    { args: ['import', 'products', join(root, 'missing.csv'), '--data', await existing()], line: /"missing\.csv" cannot be read/ },
    { args: ['import', 'nosuch', join(root, 'x.csv'), '--data', await existing()], line: /No table "nosuch"; tables: .*products/ },
    { args: ['authorize', 'nobody', '--data', await existing()], line: /No user "nobody"/ },
    { args: ['users', 'grant', 'root', 'customers=gold', '--data', withAdmin], line: /"gold" is not a format/ },
    // A mistyped --data is refused, not made into an empty directory that knows no user.
    { args: ['users', 'list', '--data', join(root, 'dta')], line: /There is no data directory .*dta; check --data/ },
    { args: ['import', 'products', join(root, 'x.csv'), '--data', join(root, 'dta')], line: /There is no data directory/ },
    { args: ['users', 'list', '--data', fresh()], env: { ...TEST_ENV, SHEETGATE_RATE_LIMIT: 'lots' }, line: /SHEETGATE_RATE_LIMIT must look like/ },
    { args: ['users', 'list', '--data', fresh()], env: { ...TEST_ENV, SHEETGATE_COMPRESS_ABOVE_BYTES: '64k' }, line: /SHEETGATE_COMPRESS_ABOVE_BYTES must be a number of bytes/ },
    { args: ['users', 'list', '--data', await existing()], env: { ...TEST_ENV, SHEETGATE_SECRET: 'short' }, line: /SHEETGATE_SECRET must be at least 32 characters/ },
  ];
  // Three at a time: a case that opens a store has its own data directory, so they cannot meet.
  const results: Array<{ args: string[]; line: string | Error; code: number }> = [];
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
      results.push({ args: batch[j].args, line, code: result.code });
    });
  }
  // Every case is checked before failing, so one run shows every unclear message.
  const problems = results.flatMap(({ args, line }, i) => {
    const name = `sheetgate ${args.join(' ')}`;
    if (line instanceof Error) return [`${name}: ${line.message}`];
    if (!cases[i].line.test(line)) return [`${name}: ${JSON.stringify(line)} does not match ${cases[i].line}`];
    if (line.includes(TEST_ENV.SHEETGATE_SECRET)) return [`${name}: prints the secret`];
    if (results[i].code !== (cases[i].code ?? 2)) return [`${name}: exit ${results[i].code}, not ${cases[i].code ?? 2}`];
    return [];
  });
  expect(problems).toEqual([]);
  expect(existsSync(join(root, 'dta'))).toBe(false);
});

it('prints help for the program and every command, and the version, on stdout with exit 0', { timeout: 45_000 }, async () => {
  const commands = ['serve', 'bootstrap-admin', 'users', 'users list', 'users show', 'users create', 'users grant', 'users settings', 'users activate', 'users deactivate', 'users delete', 'authorize', 'revoke', 'import'];
  const runs = [['--help'], ['help'], ['--version'], ...commands.map((command) => [...command.split(' '), '--help'])];
  const problems: string[] = [];
  for (let i = 0; i < runs.length; i += 4) {
    const batch = runs.slice(i, i + 4);
    const outcomes = await Promise.all(batch.map((args) => runCli(args)));
    outcomes.forEach((result, j) => {
      const args = batch[j];
      const name = `sheetgate ${args.join(' ')}`;
      const expected = args[0] === '--version' ? /^\d+\.\d+\.\d+\n$/ : new RegExp(`^Usage: sheetgate ${args.length > 1 && args[0] !== 'help' ? args.slice(0, -1).join(' ') : '<command>'}`);
      if (result.code !== 0 || result.stderr !== '' || !expected.test(result.stdout)) {
        problems.push(`${name}: exit ${result.code}, stdout ${JSON.stringify(result.stdout.slice(0, 80))}, stderr ${JSON.stringify(result.stderr)}`);
      }
    });
  }
  expect(problems).toEqual([]);
});
