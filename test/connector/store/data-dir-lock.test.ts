import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DataDirLockedError } from '../../../connector/store/data-dir-lock';
import { runCli, startConnector, type RunningConnector } from '../../helpers/connector-process';
import { openTestServices } from '../../helpers/data-dir';

let dir: string;
let connector: RunningConnector | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-lock-'));
});
afterEach(async () => {
  await connector?.stop();
  connector = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

it('refuses a second open while another process serves the directory, naming its pid', async () => {
  connector = await startConnector(dir, ['--no-demo']);
  const pid = connector.process.pid;
  const error = await openTestServices(dir).then(
    async (s) => {
      await s.close();
      return null;
    },
    (e: Error) => e,
  );
  expect(error).toBeInstanceOf(DataDirLockedError);
  expect(error?.message).toContain(`pid ${pid}`);
  expect(error?.message).toContain(dir);
  // The refused open must not have removed the owner's lock.
  expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(String(pid));
});

it('makes another process refuse while this one holds the directory, and lets it in after release', async () => {
  const services = await openTestServices(dir);
  try {
    const refused = await runCli(['users', 'list', '--data', dir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`in use by another Sheetgate process (pid ${process.pid})`);
  } finally {
    await services.close();
  }
  expect(existsSync(join(dir, '.lock'))).toBe(false);
  expect((await runCli(['users', 'list', '--data', dir])).code).toBe(0);
});

it('takes over a stale lock whose owner died', async () => {
  const dead = deadPid();
  await writeFile(join(dir, '.lock'), String(dead));
  const services = await openTestServices(dir);
  expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
  await services.close();
  expect(existsSync(join(dir, '.lock'))).toBe(false);
});

it('takes over a lock that names this very process but was not taken by it (a pid reused after a crash)', async () => {
  // E.g. a container whose connector always runs as pid 1 and was killed: the old lock names the new process.
  await writeFile(join(dir, '.lock'), String(process.pid));
  const services = await openTestServices(dir);
  // ...but a second open inside this process, while the first holds it, is still refused.
  const second = await openTestServices(dir).then(
    async (s) => {
      await s.close();
      return null;
    },
    (e: Error) => e,
  );
  expect(second).toBeInstanceOf(DataDirLockedError);
  await services.close();
  expect(existsSync(join(dir, '.lock'))).toBe(false);
});

it('takes over an empty or garbled lock file, or a dangling link in its place', async () => {
  for (const garble of [() => writeFile(join(dir, '.lock'), 'not a pid'), () => writeFile(join(dir, '.lock'), ''), () => symlink(join(dir, 'gone'), join(dir, '.lock'))]) {
    await garble();
    const services = await openTestServices(dir);
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(String(process.pid));
    await services.close();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  }
});
