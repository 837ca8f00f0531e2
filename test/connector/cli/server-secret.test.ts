import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, TEST_ENV } from '../../helpers/connector-process';
import { failureLine } from '../../helpers/connector-http';

let root: string;
/** The operator's environment without SHEETGATE_SECRET, with a configuration directory of its own. */
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sheetgate-secret-cli-'));
  const { SHEETGATE_SECRET: _unset, ...rest } = TEST_ENV;
  env = { ...rest, XDG_CONFIG_HOME: join(root, 'config') };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('refuses a serve reachable from other machines without an explicit secret (exit 2), before touching the data', async () => {
  const data = join(root, 'public');
  for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
    const result = await runCli(['serve', '--host', host, '--port', '0', '--data', data], env);
    expect(result.code).toBe(2);
    expect(failureLine(result)).toMatch(new RegExp(`Serving on ${host.replace(/\./g, '\\.')} needs an explicit server secret: set SHEETGATE_SECRET .* or pass --secret-file FILE`));
  }
  expect(existsSync(data)).toBe(false);
});

it('every command takes --secret-file; the default secret sits under XDG_CONFIG_HOME; a legacy secret moves out once', async () => {
  const data = join(root, 'data');
  const file = join(root, 'explicit.secret');
  const created = await runCli(['bootstrap-admin', '--data', data, '--secret-file', file, '--username', 'root', '--email', 'root@example.com'], env);
  expect(created.code).toBe(0);
  expect(existsSync(file)).toBe(true);
  expect(existsSync(join(root, 'config'))).toBe(false);
  for (const args of [['users', 'list'], ['authorize', 'root'], ['revoke', 'root']]) {
    expect((await runCli([...args, '--data', data, '--secret-file', file], env)).code).toBe(0);
  }
  // Without it, the data directory's secret is not found (and none is made up).
  expect(failureLine(await runCli(['users', 'list', '--data', data], env))).toMatch(/No server secret for the data directory/);

  // The secret as an earlier version kept it, inside the data directory.
  await rename(file, join(data, 'server-secret'));
  const first = await runCli(['users', 'list', '--data', data], env);
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(/The server secret was moved out of the data directory to .*config\/sheetgate\/secrets\/[0-9a-f-]{36}\.secret; back it up apart/);
  expect(first.stderr).toContain('"msg":"server_secret_moved"');
  expect(await readdir(data)).not.toContain('server-secret');
  const again = await runCli(['users', 'list', '--data', data], env);
  expect(again.code).toBe(0);
  expect(again.stderr).toBe('');
  expect(again.stdout).toMatch(/^root\t/m);
});
