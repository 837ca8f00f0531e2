import { request as httpRequest } from 'node:http';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { allowedFor, fuzzRequests, type FuzzRequest, type FuzzTargets, type Pair } from '../../helpers/fuzz-requests';
import { rawRequest } from '../../helpers/raw-http';
import { errorShapeProblems, leakProblems } from '../../helpers/security';

// OWASP API4/API8: seeded hostile requests against a REAL `sheetgate serve` process. `npm test`
// runs a 1,500-request sample; `npm run test:fuzz` runs 10,000 (both print the count and the
// status histogram). Any count or seed: FUZZ_COUNT=50000 FUZZ_SEED=7 npx vitest run test/connector/security/fuzz

const FULL = process.env.npm_lifecycle_event === 'test:fuzz';
const COUNT = Number(process.env.FUZZ_COUNT ?? (FULL ? 10_000 : 1500));
const SEED = Number(process.env.FUZZ_SEED ?? 20_241_123);
const CONCURRENCY = 8;
const ADMIN_KEY = 'fuzz-global-admin-key-0123456789abcdefghij';

let dataDir: string;
let connector: RunningConnector;
let targets: FuzzTargets;

async function call(method: string, path: string, pair: Pair, body?: unknown) {
  const response = await fetch(`${connector.url}${path}`, {
    method,
    headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  dataDir = await tempDataDir();
  const boot = await runCli(['bootstrap-admin', '--data', dataDir, '--username', 'fuzz-root', '--email', 'root@fuzz.example', '--json']);
  const system: Pair = JSON.parse(boot.stdout);
  connector = await startConnector(dataDir, [], { ...TEST_ENV, SHEETGATE_ADMIN_KEY: ADMIN_KEY, SHEETGATE_RATE_LIMIT: '100000000/60' });

  const spec = await (await fetch(`${connector.url}/openapi.json`)).json();
  const routes = Object.entries(spec.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method, path })),
  );
  const orgs: string[] = (await call('GET', '/admin/organizations', system)).organizations.map((o: { id: string }) => o.id);
  const teams: string[] = (await call('GET', '/admin/teams', system)).teams.map((t: { id: string }) => t.id);
  const user: string[] = [];
  const cid: string[] = [];
  for (let i = 0; i < 6; i++) {
    const created = await call('POST', '/admin/users', system, { username: `victim${i}`, email: `victim${i}@fuzz.example`, kind: 'portal', organizations: [orgs[i % orgs.length]] });
    const access = await call('PUT', `/admin/users/${created.id}/api-access`, system, { authorized: true });
    user.push(created.id);
    cid.push(access.credential.id);
  }
  const member = await call('POST', '/admin/users', system, { username: 'fuzz-member', email: 'member@fuzz.example', kind: 'portal', organizations: [orgs[0]], teams: teams.slice(0, 1) });
  await call('PUT', `/admin/users/${member.id}/grants`, system, { customers: 'standard', products: 'expanded', 'stock-levels': 'basic', campaigns: 'detail' });
  const memberPair: Pair = (await call('PUT', `/admin/users/${member.id}/api-access`, system, { authorized: true })).credential;
  const tables: string[] = (await call('GET', '/v1/tables', system)).tables.map((t: { id: string }) => t.id);
  const keys: string[] = [];
  for (const table of tables) {
    const page = await call('GET', `/v1/tables/${table}?limit=3`, system);
    const keyColumn = page.columns[0].name;
    keys.push(...page.rows.map((row: Record<string, unknown>) => String(row[keyColumn])));
  }
  targets = { routes, ids: { user, cid, org: orgs, team: teams, table: tables, key: keys }, system, member: memberPair, adminKey: ADMIN_KEY };
}, 60_000);

afterAll(async () => {
  await connector?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Outcome {
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
}


function sendHttp(request: Extract<FuzzRequest, { kind: 'http' }>): Promise<Outcome> {
  const url = new URL(connector.url);
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Outcome) => {
      if (!settled) {
        settled = true;
        resolve(outcome);
      }
    };
    try {
      // A fresh connection per request (agent: false). Node's Agent hands a freed socket to a queued
      // request even without keep-alive, and the server has closed it by then: a client artifact.
      const req = httpRequest(
        { agent: false, host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, timeout: 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => done({ status: res.statusCode ?? null, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (error) => done({ status: res.statusCode ?? null, headers: res.headers, body: '', error: error.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 15 s')));
      // A server that answers early (413, 431) and closes makes the rest of our write fail: expected.
      req.on('socket', (socket) => socket.on('error', () => {}));
      req.on('error', (error) => done({ status: null, headers: {}, body: '', error: error.message }));
      req.end(request.body);
    } catch (error) {
      // The HTTP client itself refused to send it (an invalid method or header): not a server outcome.
      done({ status: -1, headers: {}, body: '', error: (error as Error).message });
    }
  });
}

/** The same request as bytes on the wire, for what Node's client refuses to send (raw UTF-8 in a path, say). */
function asRawPayload(request: Extract<FuzzRequest, { kind: 'http' }>): Buffer {
  const lines = [`${request.method} ${request.path} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'host') continue;
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  if (request.body) lines.push(`Content-Length: ${request.body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), request.body ?? Buffer.alloc(0)]);
}

async function sendRaw(payload: Buffer, halfClose?: boolean): Promise<Outcome> {
  const raw = await rawRequest(connector.url, payload, 15_000, { halfClose });
  return { status: raw.status, headers: Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k, v.join(', ')])), body: raw.body };
}

async function send(request: FuzzRequest): Promise<Outcome & { viaRaw?: boolean }> {
  if (request.kind === 'raw') return sendRaw(request.payload, request.mayClose);
  const outcome = await sendHttp(request);
  if (outcome.status !== -1) return outcome;
  // Node's client refused to send it: it goes over a plain socket instead, so it still counts.
  return { ...(await sendRaw(asRawPayload(request), request.mayClose)), viaRaw: true };
}

/**
 * The path the server routes on, for the privilege check: dot segments folded (as URL parsing
 * does) and percent-encoded letters and digits decoded (as the router does: /%61dmin is /admin).
 */
function routedPath(request: FuzzRequest): string | null {
  const target = request.kind === 'http' ? request.path : /^[A-Za-z-]+ (\S+) HTTP/.exec(request.payload.toString('latin1'))?.[1];
  if (!target) return null;
  try {
    const path = new URL(target, 'http://x').pathname;
    return path.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
      const char = String.fromCharCode(Number.parseInt(hex, 16));
      return /[A-Za-z0-9._~-]/.test(char) ? char : escape;
    });
  } catch {
    return null;
  }
}

describe(`fuzz: ${COUNT} seeded requests (seed ${SEED}) against a real server process`, () => {
  it('never answers 5xx, never crashes, keeps the contract error shape, leaks nothing and lets no one past its rights', async () => {
    const histogram = new Map<string, number>();
    const failures: string[] = [];
    const fail = (request: FuzzRequest, problem: string) => {
      const sent = request.kind === 'raw' ? ` <<${JSON.stringify(request.payload.toString('latin1').slice(0, 160))}>>` : ` <<${request.method} ${request.path.slice(0, 120)} headers: ${Object.keys(request.headers).join(',')} body: ${request.body?.length ?? 'none'}>>`;
      if (failures.length < 40) failures.push(`${request.label} [${request.claim}] ${problem}${sent}`);
    };
    let sent = 0;
    let viaRaw = 0;
    const started = performance.now();
    const queue = fuzzRequests(SEED, COUNT, targets);
    const worker = async () => {
      for (let next = queue.next(); !next.done; next = queue.next()) {
        const request = next.value;
        const outcome = await send(request);
        if (outcome.viaRaw) viaRaw++;
        sent++;
        const bucket = outcome.status === null ? 'closed' : String(outcome.status);
        histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
        if (outcome.status === null) {
          if (!request.mayClose) fail(request, `no answer: ${outcome.error ?? 'connection closed'}`);
          continue;
        }
        if (outcome.status >= 500) fail(request, `answered ${outcome.status}: ${outcome.body.slice(0, 200)}`);
        if (outcome.headers.server !== undefined || outcome.headers['x-powered-by'] !== undefined) fail(request, 'server banner');
        const isHead = request.kind === 'http' && request.method === 'HEAD';
        if (outcome.status >= 400 && !isHead) {
          for (const problem of errorShapeProblems(outcome.body, [dataDir])) fail(request, `${outcome.status}: ${problem}`);
        }
        if (outcome.status < 300 && String(outcome.headers['content-type']).includes('json')) {
          for (const problem of leakProblems(outcome.body, [dataDir]).filter((p) => p !== 'a key in the text')) fail(request, problem);
        }
        const path = routedPath(request);
        const isPreflight = request.kind === 'http' && request.method === 'OPTIONS';
        if (isPreflight && outcome.status < 300 && outcome.body !== '') fail(request, 'a CORS preflight answer with a body');
        if (outcome.status >= 200 && outcome.status < 300 && !isHead && !isPreflight && path !== null && !allowedFor(request.claim, path)) {
          fail(request, `${outcome.status} for a ${request.claim} caller on ${path}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;

    const health = await fetch(`${connector.url}/healthz`);
    const healthBody = await health.json();
    const sorted = [...histogram].sort(([a], [b]) => a.localeCompare(b));
    console.log(
      `fuzz: ${sent} requests sent to a real server in ${seconds.toFixed(1)} s (seed ${SEED}; ${viaRaw} of them over a plain socket because Node's client would not send them)\n` +
        `status histogram: ${sorted.map(([status, n]) => `${status}: ${n}`).join(', ')}`,
    );

    // The process stayed up and healthy, and logged only structured lines, with no stack, path or
    // key. (The startup line names the data directory the operator chose: not a request's doing.)
    expect(connector.process.exitCode).toBeNull();
    expect({ status: health.status, body: healthBody }).toEqual({ status: 200, body: { ok: true } });
    const stderrLines = connector.stderr().split('\n').filter(Boolean);
    const badLines = stderrLines.filter((line) => {
      let entry: { msg?: string };
      try {
        entry = JSON.parse(line);
      } catch {
        return true;
      }
      if (entry.msg === 'listening') return false;
      return leakProblems(line, [dataDir]).length > 0 || entry.msg === 'unhandled_error';
    });
    expect(failures).toEqual([]);
    expect(badLines.slice(0, 5)).toEqual([]);
    expect(sent).toBe(COUNT);
    expect(histogram.has('500')).toBe(false);
  }, Math.max(60_000, COUNT * 20));
});
