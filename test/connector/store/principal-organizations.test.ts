import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../../connector/security/actor';
import { withClientOrganizations } from '../../../connector/security/admin-scope';
import { updateUser } from '../../../connector/security/users';
import type { Organization } from '../../../connector/store/types';
import { createTestContext, type TestContext } from '../../helpers/harness';

// `findPrincipal` brings the organizations a viewer's scope needs with the user, in the same read:
// the user's own and their children (a provider's clients), nothing else, as of that read. Runs on
// both stores (test/connector/on-postgres/principal-organizations.test.ts).

let ctx: TestContext;
let orgs: Record<'p1' | 'c1' | 'c2' | 'p2' | 'c3' | 'lone', Organization>;

beforeAll(async () => {
  ctx = await createTestContext();
  const p1 = await ctx.createOrganization('Provider One', 'provider');
  const p2 = await ctx.createOrganization('Provider Two', 'provider');
  orgs = {
    p1,
    p2,
    c1: await ctx.createOrganization('Client One', 'client', p1.id),
    c2: await ctx.createOrganization('Client Two', 'client', p1.id),
    c3: await ctx.createOrganization('Client Three', 'client', p2.id),
    lone: await ctx.createOrganization('Lone Client', 'client'),
  };
});

afterAll(() => ctx.close());

const byId = (list: readonly Organization[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const around = async (token: string) => (await ctx.services.store.security.findPrincipal(token))!.organizations;

it("holds the user's organizations and their clients, whole, and no other", async () => {
  const member = await ctx.createUser({ organizations: [orgs.p1.id, orgs.lone.id] });
  expect(byId(await around(member.token))).toEqual(byId([orgs.p1, orgs.c1, orgs.c2, orgs.lone]));
  const client = await ctx.createUser({ organizations: [orgs.c1.id] });
  expect(await around(client.token)).toEqual([orgs.c1]);
  const nobody = await ctx.createUser({ organizations: [] });
  expect(await around(nobody.token)).toEqual([]);
});

it('gives the viewer the same organizations as the whole list does', async () => {
  const all = await ctx.services.store.security.listOrganizations();
  for (const held of [[orgs.p1.id], [orgs.p2.id, orgs.c1.id], [orgs.c3.id], [orgs.lone.id, orgs.p2.id], []]) {
    const user = await ctx.createUser({ organizations: held });
    expect(withClientOrganizations(held, await around(user.token))).toEqual(withClientOrganizations(held, all));
  }
});

it('follows a membership change and a new client from the next read on', async () => {
  const user = await ctx.createUser({ organizations: [orgs.c3.id] });
  expect(await around(user.token)).toEqual([orgs.c3]);
  await updateUser(ctx.services, CLI_ACTOR, user.user.id, { organizations: [orgs.p2.id] });
  expect(byId(await around(user.token))).toEqual(byId([orgs.p2, orgs.c3]));
  const c4 = await ctx.createOrganization('Client Four', 'client', orgs.p2.id);
  expect(byId(await around(user.token))).toEqual(byId([orgs.p2, orgs.c3, c4]));
  await updateUser(ctx.services, CLI_ACTOR, user.user.id, { organizations: [] });
  expect(await around(user.token)).toEqual([]);
});
