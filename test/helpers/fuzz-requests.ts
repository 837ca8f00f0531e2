// A seeded generator of hostile and malformed HTTP requests for the fuzz suite. The same seed
// always yields the same requests, so a failure can be replayed exactly.

export interface Pair {
  token: string;
  key: string;
}

export interface FuzzTargets {
  /** Routes as the OpenAPI document names them (`/admin/users/{id}`). */
  routes: ReadonlyArray<{ method: string; path: string }>;
  ids: { user: string[]; cid: string[]; org: string[]; team: string[]; table: string[]; key: string[] };
  system: Pair;
  member: Pair;
  adminKey: string;
}

/** Who the request claims to be, so the suite can check that no such caller gets past its rights. */
export type Claim = 'system' | 'member' | 'admin-key' | 'nobody';

export type FuzzRequest =
  | {
      kind: 'http';
      label: string;
      claim: Claim;
      method: string;
      path: string;
      headers: Record<string, string | string[]>;
      body?: Buffer;
      /**
       * Headers over Node's 16 KB limit (431), or a large body the server refuses before reading it
       * (401, 404, 413): Node closes a `Connection: close` socket with the body still unread, the
       * kernel answers that with a reset, and the reset can overtake the answer. Measured: a GET
       * with a 300 KB body loses its 200 every time; keep-alive clients (fetch, browsers) do not.
       */
      mayClose?: boolean;
    }
  | {
      kind: 'raw';
      label: string;
      claim: Claim;
      payload: Buffer;
      /** The server may close without answering (CONNECT, a request cut off mid-headers). */
      mayClose?: boolean;
    };

/** mulberry32: small, fast, and good enough to spread requests over the space. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD = [
  '', ' ', '.', '..', '../..', '%2e%2e', '%2F', '..%2F..%2Fsecurity.json', '%00', '%', '%%', '%E0%A4%A', '%C0%AE%C0%AE',
  ';', '\\', '//', 'null', 'undefined', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '-1', '0',
  '1e309', 'NaN', 'Infinity', '0x10', '1.5', '99999999999999999999', 'true', '[]', '{}', '\u{1F642}', 'é', '\u202e', 'ß',
  'İ', '\u200b', 'sgk_', 'sgt_', "' OR 1=1 --", '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '../../etc/passwd',
  'C:\\Windows\\win.ini', 'file:///etc/passwd', '*', 'customers', 'C0001', 'admin', 'system-admin',
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ODD_METHODS = ['HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'PURGE', 'SEARCH', 'QUERY', 'REPORT', 'LINK', 'M-SEARCH'];
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/json, text/plain',
  'application/vnd.api+json', 'application/merge-patch+json',
];
const PUBLIC = ['/healthz', '/readyz', '/openapi.json', '/docs', '/console', '/console/', '/taskpane.html', '/taskpane.js', '/help.html', '/assets/', '/office-js/'];

export function* fuzzRequests(seed: number, count: number, targets: FuzzTargets): Generator<FuzzRequest> {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (p: number) => random() < p;

  const ascii = (length: number) => Array.from({ length }, () => String.fromCharCode(int(0x21, 0x7e))).join('');
  const latin1 = (length: number) => Array.from({ length }, () => String.fromCharCode(chance(0.7) ? int(0x20, 0x7e) : int(0xa0, 0xff))).join('');
  const unicode = (length: number) =>
    Array.from({ length }, () =>
      String.fromCodePoint(pick([() => int(0x20, 0x7e), () => int(0xa0, 0x2fff), () => int(0x1f300, 0x1f6ff), () => pick([0x202e, 0x200b, 0xfeff, 0xfffd])])()),
    ).join('');
  const known = () => pick([...targets.ids.user, ...targets.ids.cid, ...targets.ids.table, ...targets.ids.key, ...targets.ids.org]);
  const text = (): string =>
    pick([
      () => pick(WEIRD),
      () => unicode(int(1, 12)),
      () => 'A'.repeat(pick([100, 1000, 3000])),
      () => known(),
      () => ascii(int(1, 10)),
      () => pick(WEIRD) + ascii(int(0, 4)),
    ])();
  const segment = (): string => (chance(0.75) ? encodeURIComponent(text()) : pick(['..', '.', '%2e%2e', '%2F', '%2f..', '%00', '%', '%E0%A4%A', '', ';x', '%5C']));

  const cursor = (): string => {
    const b64 = (value: string) => Buffer.from(value).toString('base64url');
    return pick([
      () => b64(JSON.stringify({ v: 1, t: pick(targets.ids.table), k: pick(targets.ids.key) })),
      () => b64(JSON.stringify({ v: 1, t: 'products', k: { $gt: '' } })),
      () => b64(JSON.stringify({ v: 2, t: 'customers', k: 'C0001' })),
      () => b64(JSON.stringify({ v: 1, t: 'customers', k: [1, 2] })),
      () => b64(JSON.stringify({ v: 1, t: 'campaigns', k: 1e308 })),
      () => b64('['.repeat(5000)),
      () => b64('not json'),
      () => 'A'.repeat(pick([10, 5000])),
      () => text(),
    ])();
  };

  const query = (): string => {
    const pairs: string[] = [];
    const n = int(0, 4);
    for (let i = 0; i < n; i++) {
      const name = pick(['format', 'format', 'limit', 'limit', 'cursor', 'cursor', 'x', text(), 'key', 'token', 'api_key', '__proto__']);
      let value: string;
      if (name === 'format') value = pick(['basic', 'standard', 'detail', 'expanded', 'none', 'BASIC', '', text()]);
      else if (name === 'limit') value = pick(['1', '3', '10000', '10001', '0', '-1', '1.5', 'abc', '1e3', ' 5', '00010', '999999999999999999999', text()]);
      else if (name === 'cursor') value = cursor();
      else value = text();
      pairs.push(`${chance(0.8) ? encodeURIComponent(name) : name}=${chance(0.85) ? encodeURIComponent(value) : pick(['%', '%zz', '&&', '=='])}`);
    }
    return pairs.length ? `?${pairs.join('&')}` : pick(['', '', '?', '?&', '?=']);
  };

  const fillPath = (path: string): string =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (chance(0.35)) return segment();
      const pool = name === 'id' ? targets.ids.user : name === 'cid' ? targets.ids.cid : name === 'table' ? targets.ids.table : targets.ids.key;
      return encodeURIComponent(pick(pool));
    });

  const credentials = (): { claim: Claim; headers: Record<string, string | string[]> } =>
    pick([
      () => ({ claim: 'system' as Claim, headers: { 'X-Api-Token': targets.system.token, 'X-Api-Key': targets.system.key } }),
      () => ({ claim: 'system' as Claim, headers: { 'X-Api-Token': targets.system.token, 'X-Api-Key': targets.system.key } }),
      () => ({ claim: 'system' as Claim, headers: { 'X-Api-Token': targets.system.token, 'X-Api-Key': targets.system.key } }),
      () => ({ claim: 'member' as Claim, headers: { 'X-Api-Token': targets.member.token, 'X-Api-Key': targets.member.key } }),
      () => ({ claim: 'member' as Claim, headers: { 'X-Api-Token': targets.member.token, 'X-Api-Key': targets.member.key } }),
      () => ({ claim: 'admin-key' as Claim, headers: { 'X-Admin-Key': targets.adminKey } }),
      () => ({ claim: 'nobody' as Claim, headers: {} }),
      () => ({ claim: 'nobody' as Claim, headers: { 'X-Api-Token': latin1(int(0, 40)), 'X-Api-Key': latin1(int(0, 60)) } }),
      () => ({ claim: 'nobody' as Claim, headers: { 'X-Api-Token': [targets.system.token, targets.member.token], 'X-Api-Key': [targets.system.key, targets.system.key] } }),
      () => ({ claim: 'nobody' as Claim, headers: { 'X-Api-Token': targets.system.token, 'X-Api-Key': targets.member.key } }),
      () => ({ claim: 'nobody' as Claim, headers: { 'X-Api-Key': targets.system.key } }),
      () => ({ claim: 'nobody' as Claim, headers: { 'X-Admin-Key': pick(['', targets.adminKey.slice(1), `${targets.adminKey}x`, latin1(40)]) } }),
      () => ({ claim: 'nobody' as Claim, headers: { 'X-Api-Token': 'sgt_' + 'A'.repeat(pick([100, 4000, 20000])), 'X-Api-Key': 'sgk_x' } }),
      () => ({ claim: 'member' as Claim, headers: { 'X-Api-Token': targets.member.token, 'X-Api-Key': targets.member.key, 'X-Admin-Key': latin1(40) } }),
    ])();

  const extraHeaders = (): Record<string, string | string[]> => {
    const headers: Record<string, string | string[]> = {};
    const n = int(0, 3);
    for (let i = 0; i < n; i++) {
      const [name, value] = pick<() => [string, string | string[]]>([
        () => ['X-Forwarded-For', pick(['203.0.113.9', '127.0.0.1', '::1', 'garbage', latin1(20), '1.1.1.1, 2.2.2.2'])],
        () => ['X-Forwarded-Proto', pick(['https', 'http', 'gopher', ''])],
        () => ['Origin', pick(['https://evil.example', 'null', 'https://localhost:3000', latin1(10)])],
        () => ['X-Request-Id', pick(['abc', 'A'.repeat(300), latin1(20), 'a\tb'])],
        () => ['Accept', pick(['*/*', 'text/html', 'application/json;q=0', latin1(30)])],
        () => ['Accept-Encoding', pick(['gzip', 'br', 'identity;q=0, *;q=0', 'x'])],
        () => ['Content-Encoding', pick(['gzip', 'deflate', 'br', 'x-unknown'])],
        () => ['Range', pick(['bytes=0-1', 'bytes=-1', 'bytes=a-b'])],
        () => ['If-None-Match', pick(['*', '"x"', latin1(10)])],
        () => ['Cookie', pick(['session=1', latin1(50)])],
        () => ['Authorization', pick(['Bearer x', 'Basic Og==', latin1(30)])],
        () => ['X-HTTP-Method-Override', pick(['DELETE', 'PUT', 'PATCH'])],
        () => ['Host', pick(['localhost', 'evil.example', 'a'.repeat(300)])],
        () => [latin1(int(1, 10)).replace(/[^A-Za-z0-9-]/g, 'x') || 'X', latin1(int(0, 50))],
        () => ['X-Dup', [ascii(5), ascii(5), ascii(5)]],
      ])();
      headers[name] = value;
    }
    return headers;
  };

  const randomJson = (depth = 0): unknown =>
    pick<() => unknown>([
      () => null,
      () => pick([true, false]),
      () => pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]),
      () => text(),
      () => (depth > 3 ? [] : Array.from({ length: int(0, 3) }, () => randomJson(depth + 1))),
      () => (depth > 3 ? {} : Object.fromEntries(Array.from({ length: int(0, 3) }, () => [text(), randomJson(depth + 1)]))),
    ])();

  const examples = (path: string): Record<string, unknown> => {
    const valid: Record<string, unknown> = {
      '/admin/users': { username: `fz${int(0, 1e9)}`, email: `fz${int(0, 1e9)}@example.com`, kind: pick(['portal', 'api']), organizations: [pick(targets.ids.org)] },
      '/admin/users/{id}': { description: text(), active: true, roles: ['member'], teams: targets.ids.team.slice(0, 1), allowedIps: ['10.0.0.0/8'] },
      '/admin/users/{id}/grants': { customers: pick(['none', 'basic', 'expanded']), products: 'basic' },
      '/admin/users/{id}/settings': { warehouse: 'MAIN', priceCustomer: 'C0001' },
      '/admin/users/{id}/api-access': { authorized: chance(0.8) },
      '/admin/users/{id}/credentials': { name: text(), expiresInSeconds: pick([1, 60, 3600, -1, 0, 1e12]) },
      '/admin/organizations': { name: `Fuzz org ${int(0, 1e9)}`, kind: pick(['client', 'provider']), parent: pick([null, ...targets.ids.org]) },
      '/admin/teams': { name: `Fuzz team ${int(0, 1e9)}` },
      '/admin/tables/{table}/rows': { rows: [{ Code: `FZ${int(0, 1e6)}`, Name: text(), organization: pick(targets.ids.org) }] },
    };
    return (valid[path] as Record<string, unknown>) ?? {};
  };

  const mutate = (value: unknown, depth = 0): unknown => {
    if (depth > 4 || chance(0.25)) return randomJson();
    if (Array.isArray(value)) {
      const copy = [...value];
      pick([() => copy.push(randomJson()), () => copy.splice(0, 1), () => (copy.length ? (copy[0] = mutate(copy[0], depth + 1)) : 0), () => copy.push(...Array(1000).fill(text()))])();
      return copy;
    }
    if (value && typeof value === 'object') {
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      pick([
        () => keys.length && delete copy[pick(keys)],
        () => (copy[pick(['id', 'roles', 'apiAuthorized', 'grants', 'createdAt', 'token', 'key', '__proto__', 'constructor', text()])] = randomJson()),
        () => keys.length && (copy[pick(keys)] = mutate(copy[pick(keys)], depth + 1)),
        () => keys.length && (copy[pick(keys)] = randomJson()),
      ])();
      return copy;
    }
    return randomJson();
  };

  const deep = (depth: number) => pick([() => '['.repeat(depth) + ']'.repeat(depth), () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), () => '{"rows":' + '['.repeat(depth) + ']'.repeat(depth) + '}'])();

  const makeBody = (path: string): Buffer | undefined =>
    pick<() => Buffer | undefined>([
      () => Buffer.from(JSON.stringify(mutate(examples(path)))),
      () => Buffer.from(JSON.stringify(mutate(examples(path)))),
      () => Buffer.from(JSON.stringify(examples(path))),
      () => Buffer.from(JSON.stringify(randomJson())),
      () => Buffer.from(pick(['{', '{"a":', "{'a':1}", 'NaN', '\u0000', '\ufeff{}', '{"a":1,}', '[1,]', '{"a":1}{"b":2}', '"\\ud800"', '{"a":"\\u0000"}', '1'.repeat(400)])),
      () => Buffer.from(deep(pick([64, 2000, 50_000]))),
      () => Buffer.from(JSON.stringify({ ...examples(path), name: 'x'.repeat(pick([10_000, 300_000])) })),
      () => (chance(0.05) ? Buffer.alloc(5 * 1024 * 1024 + 100, 0x41) : Buffer.from('{}')),
      () => undefined,
      () => Buffer.from(Array.from({ length: int(1, 200) }, () => int(0, 255))),
    ])();

  const rawRequests = (): FuzzRequest => {
    const auth = `X-Api-Token: ${targets.system.token}\r\nX-Api-Key: ${targets.system.key}\r\n`;
    const memberAuth = `X-Api-Token: ${targets.member.token}\r\nX-Api-Key: ${targets.member.key}\r\n`;
    const route = pick(targets.routes);
    const path = fillPath(route.path);
    const [label, payload, claim, mayClose] = pick<() => [string, string | Buffer, Claim, boolean?]>([
      () => ['header injection (bare CR)', `GET ${path} HTTP/1.1\r\nHost: x\r\n${auth}X-Request-Id: a\rSet-Cookie: x=1\r\nConnection: close\r\n\r\n`, 'system'],
      () => ['header injection (bare LF)', `GET /v1/me HTTP/1.1\r\nHost: x\r\n${auth}X-Request-Id: a\nSet-Cookie: x=1\r\nConnection: close\r\n\r\n`, 'system'],
      () => ['obs-fold', `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Api-Token: ${targets.system.token}\r\n X-Api-Key: ${targets.system.key}\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['NUL in header', `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Api-Token: sgt_\u0000x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['LF-only lines', `GET /v1/me HTTP/1.1\nHost: x\n${auth.replace(/\r\n/g, '\n')}Connection: close\n\n`, 'system'],
      () => ['UTF-8 bytes in header', Buffer.concat([Buffer.from(`GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Api-Token: `), Buffer.from(unicode(8)), Buffer.from(`\r\nX-Api-Key: sgk_x\r\nConnection: close\r\n\r\n`)]), 'nobody'],
      () => ['UTF-8 bytes in path', Buffer.concat([Buffer.from('GET /v1/tables/'), Buffer.from(unicode(6)), Buffer.from(` HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`)]), 'system'],
      () => ['space in path', `GET /v1/ta bles HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['no version', `GET /v1/me\r\nHost: x\r\n\r\n`, 'nobody'],
      () => ['HTTP/9.9', `GET /v1/me HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['HTTP/1.0 without Host', `GET /v1/me HTTP/1.0\r\n${auth}\r\n`, 'system'],
      () => ['lowercase method', `get /v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['unknown method token', `${pick(['FOO', 'BREW', 'X-Y'])} /v1/me HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`, 'system'],
      () => ['asterisk target', `${pick(['OPTIONS', 'GET'])} * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['no leading slash', `GET v1/me HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`, 'system'],
      () => ['absolute-form target', `GET http://${pick(['evil.example', 'localhost', '[::1]'])}${path} HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`, 'system'],
      () => ['dot segments (member)', `GET /v1/${pick(['..', '%2e%2e', '.%2e', 'tables/../..'])}/admin/${pick(['users', 'audit', 'tables'])} HTTP/1.1\r\nHost: x\r\n${memberAuth}Connection: close\r\n\r\n`, 'member'],
      () => ['dot segments (anonymous)', `GET /${pick(['healthz', 'assets', 'office-js', 'taskpane.html'])}/${pick(['..', '%2e%2e'])}/${pick(['v1/me', 'admin/users', 'data/security.json', 'package.json'])} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['backslash path', `GET /assets/..\\..\\package.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['missing Host', `GET /v1/me HTTP/1.1\r\n${auth}Connection: close\r\n\r\n`, 'system'],
      () => ['bad Host', `GET ${path} HTTP/1.1\r\nHost: ${pick(['', 'a b', '[::1', 'x@y', 'a'.repeat(2000), 'x:99999', 'x/y', 'é'])}\r\n${auth}Connection: close\r\n\r\n`, 'system'],
      () => ['duplicate Host', `GET /v1/me HTTP/1.1\r\nHost: x\r\nHost: y\r\n${auth}Connection: close\r\n\r\n`, 'system'],
      () => ['conflicting Content-Length', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{}`, 'system'],
      () => ['bad Content-Length', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${pick(['-1', 'abc', '1e3', '0x10', ' '])}\r\nConnection: close\r\n\r\n{}`, 'system'],
      () => ['CL and TE', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`, 'system'],
      () => ['bad chunk', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 'system'],
      () => ['smuggled second request', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${memberAuth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /admin/audit HTTP/1.1\r\nHost: x\r\n${memberAuth}Connection: close\r\n\r\n`, 'member'],
      () => ['declared body over the limit', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${6 * 1024 * 1024}\r\nConnection: close\r\n\r\n{"name":`, 'system'],
      () => ['Expect header', `POST /admin/teams HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nExpect: ${pick(['100-continue', 'bogus'])}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`, 'system'],
      () => ['websocket upgrade', `GET /v1/me HTTP/1.1\r\nHost: x\r\n${auth}Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`, 'system'],
      () => ['CONNECT', `CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n`, 'nobody', true],
      () => ['cut off mid-headers', `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Api-To`, 'nobody', true],
      () => ['garbage', Buffer.from(Array.from({ length: int(1, 300) }, () => int(0, 255))), 'nobody', true],
      () => ['oversized headers', `GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`, 'nobody'],
      () => ['many headers', `GET /v1/me HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\nConnection: close\r\n\r\n`, 'nobody'],
    ])();
    return { kind: 'raw', label: `raw: ${label}`, claim, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'latin1'), mayClose };
  };

  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.12) {
      yield rawRequests();
      continue;
    }
    const { claim, headers } = credentials();
    Object.assign(headers, extraHeaders());
    let method: string;
    let path: string;
    let routePath = '';
    if (roll < 0.82) {
      const route = pick(targets.routes);
      routePath = route.path;
      method = chance(0.8) ? route.method.toUpperCase() : pick([...METHODS, ...ODD_METHODS]);
      path = fillPath(route.path);
    } else {
      // Paths no route declares: tricks, traversal, public files with junk after them.
      method = pick([...METHODS, ...ODD_METHODS]);
      path = pick([
        () => `/${Array.from({ length: int(1, 5) }, segment).join('/')}`,
        () => `${pick(['/v1', '/admin', '/v1/tables', '/admin/users', ...PUBLIC])}/${Array.from({ length: int(1, 3) }, segment).join('/')}`,
        () => `/${'x/'.repeat(int(1, 2000))}`,
        () => pick(['//v1/me', '/v1//me', '/V1/ME', '/v1/me/', '/v1/me.json', '/v1/me;jsessionid=1', '/admin/users/', '/./v1/me', '/v1/./me', '/%76%31/me']),
      ])();
    }
    path += query();
    let body: Buffer | undefined;
    if (!['GET', 'HEAD'].includes(method) || chance(0.05)) body = makeBody(routePath);
    if (body !== undefined || chance(0.1)) headers['Content-Type'] = pick(CONTENT_TYPES);
    // Framed by its true length, or chunked; Node's client frames GET/DELETE/TRACE bodies only with a
    // length. Wrong lengths go through raw requests, where they cannot desync a kept-alive socket.
    if (body !== undefined && (['GET', 'DELETE', 'TRACE', 'OPTIONS', 'HEAD'].includes(method) || chance(0.5))) headers['Content-Length'] = String(body.length);
    const headerBytes = path.length + Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + String(value).length + 4, 0);
    yield { kind: 'http', label: `${method} ${routePath || path.slice(0, 60)}`, claim, method, path, headers, body, mayClose: headerBytes > 15_000 || (body?.length ?? 0) > 64 * 1024 };
  }
}

/** Routes a caller of this claim may get a 2xx from, by the routed path (see `routedPath`). */
export function allowedFor(claim: Claim, path: string): boolean {
  const isPublic = path === '/healthz' || path === '/readyz' || path === '/console' || path === '/openapi.json' || path === '/docs' || PUBLIC.some((p) => p.endsWith('/') && path.startsWith(p)) || ['/taskpane.html', '/taskpane.js', '/help.html', '/taskpane.js.map'].includes(path);
  if (isPublic) return true;
  if (claim === 'system') return true;
  if (claim === 'admin-key') return path.startsWith('/admin/');
  if (claim === 'member') return path.startsWith('/v1/');
  return false;
}
