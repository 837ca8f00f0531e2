import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';

// Servers under test each run in their own process, on loopback, on a port chosen up front so
// readiness (and cold start) is "the first answered GET /healthz".

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Server {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  readyMs: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** GET `url`; resolves with the status and body, or rejects on a connection error. */
export function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering /healthz`);
    try {
      if ((await get(`${url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`no answer from ${url}/healthz within ${timeoutMs} ms`);
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  timeoutMs?: number;
}

/** Starts `node [nodeArgs] script ...args` (args may use {port}) and waits for /healthz. */
export async function startServer(script: string, args: string[], options: SpawnOptions = {}): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args.map((a) => a.replace('{port}', String(port)))], {
    env: options.env ?? process.env,
    // Access-log lines go to /dev/null: they are still formatted and written, as in production.
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForHealth(url, child, options.timeoutMs ?? 60_000);
  } catch (error) {
    child.kill('SIGKILL');
    children.delete(child);
    throw error;
  }
  const readyMs = performance.now() - started;
  return {
    url,
    pid: child.pid ?? -1,
    child,
    readyMs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}

/** Resident memory of a process from /proc (Linux), in bytes; null elsewhere. */
export function residentBytes(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); NaN elsewhere. */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 : Number.NaN;
}

/**
 * CPU time of a process and all its children, in ms: its own, its children's that it has waited
 * for (cutime, cstime), and its live children's (a PostgreSQL postmaster and its backends).
 */
export function treeCpuMs(pid: number): number {
  const own = statFields(pid);
  if (!own) return Number.NaN;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    // ppid is field 4 of stat(5).
    if (fields && Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / 100;
}

/** The fields of /proc/<pid>/stat after the command name (field 3 onwards); null when gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Resets a process's peak-RSS mark (Linux clear_refs "5"); false when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 16 });

/** One request on a kept-alive connection; resolves with status, body and the round trip in ms. */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: Buffer; ms: number; headers: IncomingHttpHeaders }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const attempt = (retried: boolean) =>
    new Promise<{ status: number; body: Buffer; ms: number; headers: IncomingHttpHeaders }>((resolve, reject) => {
      const started = performance.now();
      const req = request(url, { method: options.method ?? 'GET', headers, agent: keepAlive }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - started, headers: res.headers }));
        res.on('error', reject);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed (its keep-alive timeout) as this request went out:
        // sent again once on a new socket, as Node's documentation advises (`request.reusedSocket`).
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(attempt(true));
        else reject(error);
      });
      req.end(payload);
    });
  return attempt(false);
}
