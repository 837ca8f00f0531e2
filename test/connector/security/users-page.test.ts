import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Organization, User } from '../../../connector/store/types';
import { createTestContext, type TestContext } from '../../helpers/harness';
import { callerWith, expectJson, systemAdmin, type Caller } from '../../helpers/http';

// More users than the service reads from the store in one round (500), with a portal admin whose
// reach holds one user in a hundred: its pages must still fill across rounds, in username order,
// and a system admin's pages must hand out every user exactly once.

const USERS = 1_100;
let ctx: TestContext;
let root: Caller;
let asPortal: Caller;
let north: Organization;

beforeAll(async () => {
  ctx = await createTestContext();
  north = await ctx.createOrganization('North', 'provider');
  const south = await ctx.createOrganization('South', 'provider');
  root = (await systemAdmin(ctx, 'root')).call;
  asPortal = callerWith(ctx, (await ctx.createUser({ username: 'pa', roles: ['portal-admin'], organizations: [north.id] })).headers);
  const template = (await ctx.createUser({ username: 'template', authorized: false })).user;
  const at = new Date().toISOString();
  // One transaction for all of them: through the services, 1,100 creations would be 1,100 commits.
  await ctx.services.store.security.transaction(async (tx) => {
    for (let i = 0; i < USERS; i++) {
      const username = `U${String(i).padStart(4, '0')}`; // mixed case: the order is the lowercased one
      const user: User = { ...template, id: `bulk-${i}`, username, email: `${username}@example.com`, organizations: [i % 100 === 7 ? north.id : south.id], createdAt: at, updatedAt: at };
      await tx.insertUser(user);
    }
  });
}, 60_000);
afterAll(async () => {
  await ctx.close();
});

async function everyPage(caller: Caller, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/admin/users?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { users: { username: string }[]; nextCursor: string | null } = await expectJson(await caller('GET', query), 200);
    pages.push(page.users.map((user) => user.username));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

it('a portal admin with a sparse reach gets full pages, in username order, across store rounds', async () => {
  const pages = await everyPage(asPortal, 4);
  const inReach = Array.from({ length: USERS / 100 }, (_, n) => `U${String(n * 100 + 7).padStart(4, '0')}`);
  expect(pages.flat()).toEqual(['pa', ...inReach].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
  expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
});

it('a system admin pages through every user exactly once, in lowercased-username order', async () => {
  const listed = (await everyPage(root, 300)).flat();
  expect(listed).toHaveLength(USERS + 3);
  const lowered = listed.map((name) => name.toLowerCase());
  expect(lowered).toEqual([...lowered].sort());
  expect(new Set(listed).size).toBe(listed.length);
});
