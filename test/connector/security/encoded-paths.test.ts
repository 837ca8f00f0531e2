import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, type TestContext, type TestUser } from '../../helpers/harness';

// The router decodes percent-encoded letters (/%61dmin is /admin) and URLs fold dot segments; the
// guards must see the very path the router sees, or an encoded path would skip them.

let ctx: TestContext;
let member: TestUser;
beforeAll(async () => {
  ctx = await createTestContext();
  member = await ctx.createUser();
});
afterAll(async () => {
  await ctx.close();
});

it.each([
  ['/%61dmin/users', 401, 403],
  ['/%61%64%6d%69%6e/audit', 401, 403],
  ['/v1/../admin/users', 401, 403],
  ['/v1/%2e%2e/admin/tables', 401, 403],
  ['/%76%31/me', 401, 200],
  ['/v1/%6de', 401, 200],
])('guards %s like its plain form (anonymous %i, member %i)', async (path, anonymous, asMember) => {
  expect((await ctx.request('GET', path)).status).toBe(anonymous);
  expect((await ctx.request('GET', path, { headers: member.headers })).status).toBe(asMember);
});
