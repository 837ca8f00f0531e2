import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The built CLI; SHEETGATE_TEST_CLI points the process tests at another build (e.g. a private one). */
export const CLI = process.env.SHEETGATE_TEST_CLI ?? resolve(import.meta.dirname, '../../dist/connector/cli.js');
/**
 * The environment of every process a test starts: a known secret, and a configuration directory of
 * the test run's own, so that nothing reads or writes the real user's `~/.config/sheetgate`.
 */
export const TEST_ENV = {
  ...process.env,
  SHEETGATE_SECRET: 'process-test-secret-0123456789abcdef0123',
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? mkdtempSync(join(tmpdir(), 'sheetgate-config-')),
};

export interface RunningConnector {
  url: string;
  process: ChildProcess;
  /** Everything printed on stdout so far (the demo pairs on a first start). */
  stdout(): string;
  stderr(): string;
  /** SIGTERM and wait for a graceful exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the crash case. */
  kill(): Promise<void>;
}

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sheetgate-proc-'));
}

/** Starts `sheetgate serve` on a free loopback port and waits until it prints its URL. */
export function startConnector(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = TEST_ENV): Promise<RunningConnector> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, ...extraArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started server behind
      rejectStart(new Error(`connector did not start: ${err}`));
    }, 20_000);
    child.stderr?.on('data', (chunk) => (err += chunk));
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /on (https?:\/\/[^\s]+?)[\s(]/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolveStart({
          url: match[1],
          process: child,
          stdout: () => out,
          stderr: () => err,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`connector exited with ${code}: ${err}`));
    });
  });
}

/** Runs one CLI command to completion. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = TEST_ENV): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
