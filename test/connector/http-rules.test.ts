import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturingLogger, createTestContext, type TestContext, type TestUser } from '../helpers/harness';
import { callerWith, expectError, expectJson, type Caller } from '../helpers/http';

// The contract's General and Health sections, for every kind of route.

let ctx: TestContext;
let root: TestUser;
let admin: Caller;
let log: ReturnType<typeof capturingLogger>;
beforeEach(async () => {
  log = capturingLogger();
  ctx = await createTestContext({ bodyLimitBytes: 1024, corsOrigins: ['https://addin.example.com'] }, undefined, log);
  root = await ctx.createUser({ roles: ['system-admin'] });
  admin = callerWith(ctx, root.headers);
});
afterEach(async () => {
  await ctx.close();
});

const newUser = { username: 'alice', email: 'alice@example.com', kind: 'portal' };

describe('unknown routes and methods', () => {
  it('answers an unknown route with 404 not_found', async () => {
    await expectError(await ctx.request('GET', '/nope'), 404, 'not_found');
    await expectError(await ctx.request('POST', '/nope/deeper', { body: {} }), 404, 'not_found');
    await expectError(await admin('GET', '/v1/nope'), 404, 'not_found');
    await expectError(await admin('GET', '/admin/nope'), 404, 'not_found');
    await expectError(await admin('GET', '/admin/users/x/y/z'), 404, 'not_found');
  });

  it('treats a trailing slash as another (unknown) route, not as a wrong method', async () => {
    await expectError(await ctx.request('GET', '/healthz/'), 404, 'not_found');
    await expectError(await admin('GET', '/admin/users/'), 404, 'not_found');
    await expectError(await admin('GET', `/admin/users/${root.user.id}/`), 404, 'not_found');
  });

  it('answers a known route with the wrong method with 405 method_not_allowed and an Allow header', async () => {
    const cases: Array<[string, string, string[]]> = [
      ['DELETE', '/healthz', ['GET']],
      ['POST', '/v1/me', ['GET']],
      ['PUT', '/admin/users', ['GET', 'POST']],
      ['POST', `/admin/users/${root.user.id}`, ['GET', 'PATCH', 'DELETE']],
      ['GET', `/admin/users/${root.user.id}/credentials/${root.credentialId}/regenerate`, ['POST']],
    ];
    for (const [method, path, allowed] of cases) {
      const response = await admin(method, path, method === 'GET' ? undefined : {});
      expect(response.headers.get('allow')?.split(/,\s*/).filter((m) => m !== 'HEAD').sort(), `${method} ${path}`).toEqual([...allowed].sort());
      await expectError(response, 405, 'method_not_allowed');
    }
  });
});

describe('request bodies', () => {
  it('refuses malformed JSON with 400 invalid_request', async () => {
    for (const body of ['{"username": ', 'not json', '']) {
      await expectError(await admin('POST', '/admin/users', body), 400, 'invalid_request');
    }
    await expectError(await admin('PATCH', `/admin/users/${root.user.id}`, '{"active": tru}'), 400, 'invalid_request');
    expect(await ctx.services.store.security.countUsers()).toBe(1);
  });

  it('refuses a field of the wrong type with 400 invalid_request naming the field', async () => {
    for (const [field, body] of [
      ['email', { ...newUser, email: 12 }],
      ['roles', { ...newUser, roles: 'member' }],
      ['organizations', { ...newUser, organizations: [1] }],
    ] as const) {
      const error = await expectError(await admin('POST', '/admin/users', body), 400, 'invalid_request');
      expect(error.error.message).toContain(field);
    }
  });

  it('tells a caller who forgot the JSON content type what to send', async () => {
    const plain = await ctx.app.request('/admin/users', { method: 'POST', headers: root.headers, body: JSON.stringify(newUser) });
    const error = await expectError(plain, 400, 'invalid_request');
    expect(error.error.message).toContain('Content-Type: application/json');
    const broken = await admin('POST', '/admin/users', '{"username":');
    expect((await expectError(broken, 400, 'invalid_request')).error.message).toBe('The request body is not valid JSON.');
  });

  it('refuses a JSON body that is not an object', async () => {
    for (const body of ['[]', '"text"', 'null', '42']) {
      await expectError(await admin('POST', '/admin/users', body), 400, 'invalid_request');
    }
  });

  it('refuses a body over the limit with 413 payload_too_large, on admin routes, before anything is stored', async () => {
    const big = { ...newUser, description: 'x'.repeat(2000) };
    await expectError(await admin('POST', '/admin/users', big), 413, 'payload_too_large');
    const streamed = await ctx.app.request('/admin/users', {
      method: 'POST',
      headers: { ...root.headers, 'Content-Type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(JSON.stringify(big)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    await expectError(streamed, 413, 'payload_too_large');
    expect(await ctx.services.store.security.findUserByUsername('alice')).toBeUndefined();
    await expectJson(await admin('POST', '/admin/users', { ...newUser, description: 'x'.repeat(100) }), 201);
  });
});

describe('response headers', () => {
  it('sends Cache-Control: no-store on data and secret responses, errors included', async () => {
    const alice = await ctx.createUser({ grants: { customers: 'basic' } });
    const responses = [
      await ctx.request('GET', '/v1/me', { headers: alice.headers }),
      await ctx.request('GET', '/v1/tables', { headers: alice.headers }),
      await ctx.request('GET', '/v1/tables/customers', { headers: alice.headers }),
      await admin('GET', '/admin/users'),
      await admin('PUT', `/admin/users/${alice.user.id}/api-access`, { authorized: true }),
      await admin('GET', `/admin/users/${alice.user.id}/credentials/${alice.credentialId}/key`),
      await admin('GET', '/admin/audit'),
      await ctx.request('GET', '/v1/me'),
      await admin('GET', '/admin/users/nobody'),
    ];
    for (const response of responses) expect(response.headers.get('cache-control'), response.url).toBe('no-store');
  });

  it('sets secure headers and no server banner, on success and error responses; HSTS over HTTPS only', async () => {
    // `ip` makes the harness request arrive over a TLS socket.
    for (const response of [await ctx.request('GET', '/healthz', { ip: '127.0.0.1' }), await ctx.request('GET', '/nope', { ip: '127.0.0.1' })]) {
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    }
    for (const response of [await ctx.request('GET', '/healthz'), await ctx.request('GET', '/nope'), await admin('GET', '/admin/users')]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('server')).toBeNull();
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('HSTS behind a proxy', () => {
  it("follows a trusted proxy's X-Forwarded-Proto, and ignores an untrusted caller's", async () => {
    const proxied = await createTestContext({ trustedProxies: ['10.0.0.1'] });
    try {
      const via = (remoteAddress: string, proto: string) =>
        proxied.app.request('/healthz', { headers: { 'X-Forwarded-Proto': proto } }, { incoming: { socket: { remoteAddress } } } as never);
      expect((await via('10.0.0.1', 'https')).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect((await via('10.0.0.1', 'http')).headers.get('strict-transport-security')).toBeNull();
      expect((await via('203.0.113.5', 'https')).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.close();
    }
  });
});

describe('error bodies', () => {
  it('are exactly {error: {code, message}} with no stack, path or secret, even for an unexpected failure', async () => {
    const security = ctx.services.store.security;
    security.listUsersByUsername = () => {
      throw new Error(`EACCES: permission denied, open '/var/lib/sheetgate/security.json' with ${root.key}`);
    };
    const response = await admin('GET', '/admin/users');
    const text = await response.clone().text();
    const body = await expectError(response, 500, 'internal_error');
    for (const leak of ['/var/lib', 'security.json', root.key, 'EACCES', 'at ', '.ts']) expect(text).not.toContain(leak);
    expect(body.error.message).toMatch(/\.$/);
    expect(response.headers.get('cache-control')).toBe('no-store');

    const logged = log.lines.join('\n');
    expect(logged).toContain('unhandled_error');
    for (const leak of ['/var/lib', root.key]) expect(logged).not.toContain(leak);
  });

  it('do not echo a key pasted into the URL', async () => {
    const pasted = `/${root.key}`;
    for (const response of [await ctx.request('GET', pasted), await ctx.request('DELETE', `/healthz${pasted}`), await admin('PATCH', `/admin${pasted}`, {})]) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain(root.key);
    }
  });
});

describe('GET /healthz', () => {
  it('answers 200 {ok: true} without credentials', async () => {
    const response = await ctx.request('GET', '/healthz');
    expect(await expectJson(response, 200)).toEqual({ ok: true });
  });

  it('is the only public data route: /v1 and /admin need credentials', async () => {
    await expectError(await ctx.request('GET', '/v1/me'), 401, 'missing_credentials');
    await expectError(await ctx.request('GET', '/admin/users'), 401, 'missing_credentials');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    ctx.request('OPTIONS', '/v1/tables', {
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-api-token, x-api-key' },
    });

  it('lets a configured add-in origin through, with the credential headers allowed', async () => {
    const response = await preflight('https://addin.example.com');
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://addin.example.com');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    const actual = await ctx.request('GET', '/healthz', { headers: { Origin: 'https://addin.example.com' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://addin.example.com');
  });

  it('gives an unconfigured origin no Access-Control-Allow-Origin', async () => {
    for (const origin of ['https://evil.example.com', 'https://addin.example.com.evil.test', 'null']) {
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull();
      const actual = await ctx.request('GET', '/healthz', { headers: { Origin: origin } });
      expect(actual.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
