import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

// A throwaway PostgreSQL cluster for the test run: initdb into a temp dir, started on a free
// port, removed at the end. Nothing outside the temp dir is touched, so it runs beside a system
// cluster and beside other engineers' test runs on the same machine.

const run = promisify(execFile);

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: the superuser on the maintenance database. */
  readonly url: string;
  readonly dataDir: string;
  /** Stops the server and removes its files. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The folder holding `initdb`, `pg_ctl` and `postgres`: Debian's highest
 * /usr/lib/postgresql/N/bin, else the PATH's. Null when PostgreSQL is not installed.
 */
export function findPostgresBinaries(): string | null {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => /^\d+(\.\d+)?$/.test(name) && existsSync(join(debian, name, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(debian, versions[0], 'bin');
  }
  const onPath = (process.env.PATH ?? '').split(delimiter).find((dir) => dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')));
  return onPath ?? null;
}

export async function startPostgresCluster(options: { binDir?: string } = {}): Promise<PostgresCluster> {
  const binDir = options.binDir ?? findPostgresBinaries();
  if (!binDir) throw new Error('PostgreSQL is not installed: no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH.');
  const owner = clusterOwner();
  const root = await mkdtemp(join(tmpdir(), 'sheetgate-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const dataDir = join(root, 'data');
  // As root, every server command runs as `postgres`: the server refuses to run as root.
  const asOwner = (tool: string, args: string[]) =>
    owner ? run('runuser', ['-u', owner.name, '--', join(binDir, tool), ...args], { cwd: root }) : run(join(binDir, tool), args, { cwd: root });

  try {
    await asOwner('initdb', ['-D', dataDir, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${failureText(error)}`);
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stopAtExit);
    await asOwner('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => {});
    await rm(root, { recursive: true, force: true });
  };
  // A run that dies without its teardown must not leave a server behind.
  const stopAtExit = () => {
    const args = ['-D', dataDir, '-m', 'immediate', 'stop'];
    try {
      if (owner) execFileSync('runuser', ['-u', owner.name, '--', join(binDir, 'pg_ctl'), ...args], { stdio: 'ignore', cwd: root });
      else execFileSync(join(binDir, 'pg_ctl'), args, { stdio: 'ignore', cwd: root });
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', stopAtExit);

  // The free port can be taken between our probe and the server's bind (other runs share the
  // machine), so a failed start tries another port.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${root}`,
      '-c listen_addresses=127.0.0.1',
      // A throwaway cluster: durability buys nothing, speed does.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    try {
      await asOwner('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dataDir, stop };
    } catch (error) {
      lastError = error;
    }
  }
  const log = await readFile(join(root, 'server.log'), 'utf8').catch(() => '');
  await stop();
  throw new Error(`PostgreSQL did not start: ${failureText(lastError)}\n${log.slice(-2000)}`);
}

/** The OS user to run the server as when we are root; null when we may run it ourselves. */
function clusterOwner(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { name: 'postgres', uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Running as root, but there is no "postgres" OS user to run PostgreSQL as (Debian\'s postgresql package creates it).');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function failureText(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return (stderr && stderr.trim()) || message || String(error);
}
