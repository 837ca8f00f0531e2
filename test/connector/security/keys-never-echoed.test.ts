import { afterEach, beforeEach, expect, it } from 'vitest';
import { capturingLogger, createTestContext, type TestContext, type TestUser } from '../../helpers/harness';
import { callerWith, expectError, type Caller } from '../../helpers/http';

// Found by the secrets test: error messages quote the caller's input (a table name, a grants
// field, an organization id) and the request id a client sends goes into every log line, so a
// key pasted into either came back in a response body or landed in the log.

let ctx: TestContext;
let log: ReturnType<typeof capturingLogger>;
let root: TestUser;
let admin: Caller;
beforeEach(async () => {
  log = capturingLogger();
  ctx = await createTestContext({}, undefined, log);
  root = await ctx.createUser({ roles: ['system-admin'] });
  admin = callerWith(ctx, root.headers);
});
afterEach(async () => {
  await ctx.close();
});

it('redacts a key quoted back in an error message, wherever the input came from', async () => {
  const key = root.key;
  const target = await ctx.createUser({ authorized: false });
  const responses = [
    await admin('GET', `/v1/tables/${key}`),
    await admin('GET', `/v1/tables/customers/rows/${key}`),
    await admin('PUT', `/admin/users/${target.user.id}/grants`, { [key]: 'basic' }),
    await admin('POST', '/admin/tables/customers/rows', { rows: [{ Code: 'K1', organization: key }] }),
    await admin('POST', '/admin/users', { username: 'x', email: 'x@example.com', kind: 'api', organizations: [key] }),
    await admin('DELETE', `/admin/tables/${key}/rows/x`),
  ];
  for (const response of responses) {
    const text = await response.clone().text();
    expect(response.status, text).toBeGreaterThanOrEqual(400);
    expect(text).not.toContain(key.slice(4));
    expect(text).toContain('sgk_[redacted]');
  }
  await expectError(await admin('GET', `/v1/tables/${key}`), 404, 'not_found');
});

it('replaces a client request id that holds a key, in the log and in the answer', async () => {
  const response = await ctx.request('GET', '/v1/me', { headers: { ...root.headers, 'X-Request-Id': root.key } });
  expect(response.status).toBe(200);
  const id = response.headers.get('x-request-id');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  const logged = log.lines.join('\n');
  expect(logged).toContain(`"requestId":"${id}"`);
  expect(logged).not.toContain(root.key.slice(4));

  // An ordinary client id is kept, for end-to-end tracing.
  const traced = await ctx.request('GET', '/healthz', { headers: { 'X-Request-Id': 'trace-1234' } });
  expect(traced.headers.get('x-request-id')).toBe('trace-1234');
});
