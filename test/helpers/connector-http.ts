import { KEY_HEADER, TOKEN_HEADER } from '../../connector/contract';
import { runCli } from './connector-process';

export interface Pair {
  token: string;
  key: string;
}

export interface Answer {
  status: number;
  body: any;
}

/** One request to a running connector over real HTTP, with a credential pair when given. */
export async function api(base: string, method: string, path: string, options: { pair?: Pair; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.pair) {
    headers[TOKEN_HEADER] = options.pair.token;
    headers[KEY_HEADER] = options.pair.key;
  }
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The error code of an answer, for compact `[status, code]` assertions. */
export const outcome = (answer: Answer): [number, string | undefined] => [answer.status, answer.body?.error?.code];

/** Runs a CLI command that must succeed, and returns its stdout. */
export async function cliOk(args: string[]): Promise<string> {
  const result = await runCli(args);
  if (result.code !== 0) throw new Error(`sheetgate ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** `bootstrap-admin --json` on `dir`: the new system admin's pair. */
export async function bootstrapAdmin(dir: string, username = 'root'): Promise<Pair> {
  return JSON.parse(await cliOk(['bootstrap-admin', '--data', dir, '--username', username, '--email', `${username}@example.com`, '--json'])) as Pair;
}

/** Asserts the CLI's failure shape: non-zero exit, exactly one line on stderr, no stack trace. */
export function failureLine(result: { code: number; stdout: string; stderr: string }): string {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  if (result.code === 0 || lines.length !== 1 || /^\s+at |node:internal|\.ts:\d+|\.js:\d+/m.test(result.stderr)) {
    throw new Error(`expected a non-zero exit with one clear stderr line, got ${result.code}: ${JSON.stringify(result.stderr)}`);
  }
  return lines[0];
}

/**
 * The demo pairs of a connector's first start, once its stdout holds `last`'s (sam.admin's, then
 * ann.analyst's are printed, after the line `startConnector` waits for).
 */
export async function printedDemoPairs(stdout: () => string, last = 'ann.analyst'): Promise<Map<string, Pair>> {
  let pairs = demoPairs(stdout());
  for (let waited = 0; !pairs.has(last) && waited < 5000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    pairs = demoPairs(stdout());
  }
  return pairs;
}

/** The demo pairs a first `serve` prints, by username. */
export function demoPairs(stdout: string): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  const pattern = /^ {2}(\S+): .*\n\s+X-Api-Token: (\S+)\n\s+X-Api-Key:\s+(\S+)$/gm;
  for (const match of stdout.matchAll(pattern)) pairs.set(match[1], { token: match[2], key: match[3] });
  return pairs;
}

/**
 * Admin writes from `loops` concurrent loops until `stop()` is called or the server goes away.
 * `acknowledged` holds every username whose create was answered 201 — what must survive.
 */
export function writeBurst(url: string, admin: Pair, prefix: string, loops = 4) {
  const acknowledged: string[] = [];
  /** Answers other than 201 (a 5xx here would be a defect); connection errors end a loop silently. */
  const refusals: string[] = [];
  let stopped = false;
  let sent = 0;
  const run = async (loop: number) => {
    for (let i = 0; !stopped; i++) {
      const username = `${prefix}-${loop}-${i}`;
      sent++;
      let answer: Answer;
      try {
        answer = await api(url, 'POST', '/admin/users', { pair: admin, body: { username, email: `${username}@example.com`, kind: 'api' } });
      } catch {
        return; // connection refused or reset: the server is gone
      }
      if (answer.status !== 201) {
        refusals.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        return;
      }
      acknowledged.push(username);
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, loop) => run(loop)));
  return {
    acknowledged,
    refusals,
    sent: () => sent,
    /** Resolves once at least `count` writes were acknowledged (or the burst ended). */
    async until(count: number): Promise<void> {
      while (acknowledged.length < count && !stopped) {
        if (await Promise.race([done.then(() => true), new Promise((r) => setTimeout(() => r(false), 5))])) return;
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      await done;
    },
    done,
  };
}
