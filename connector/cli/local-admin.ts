import { authorize, deauthorize } from '../credentials/lifecycle';
import type { Services } from '../deps';
import { CLI_ACTOR } from '../security/actor';
import { createUser, deleteUser, describeUser, getManagedUser, pageUsers, setGrants, setSettings, updateUser } from '../security/users';
import type { User } from '../store/types';
import { importTableRows } from '../tables/admin-rows';
import type { AdminApi } from './admin-api';

// The admin routes' answers, made in-process by the services they call: input is validated,
// authorized and audited exactly as there, with the operator (`cli`) as the actor.

/** Page size when none is asked for: the route's default. */
const DEFAULT_LIMIT = 100;

export function localAdmin(services: Services): AdminApi {
  const view = (user: User) => describeUser(services.store.security, user);
  return {
    async listUsers(query = {}) {
      const page = await pageUsers(services, CLI_ACTOR, { q: query.q, limit: query.limit ?? DEFAULT_LIMIT, cursor: query.cursor ?? undefined });
      return { users: await Promise.all(page.users.map(view)), nextCursor: page.nextCursor };
    },
    getUser: async (id) => view(await getManagedUser(services, CLI_ACTOR, id)),
    createUser: async (user) => view(await createUser(services, CLI_ACTOR, user)),
    updateUser: async (id, changes) => view(await updateUser(services, CLI_ACTOR, id, changes)),
    deleteUser: (id) => deleteUser(services, CLI_ACTOR, id),
    async setApiAccess(id, authorized) {
      if (authorized) return { authorized: true, credential: await authorize(services, CLI_ACTOR, id) };
      await deauthorize(services, CLI_ACTOR, id);
      return { authorized: false };
    },
    setGrants: (id, grants) => setGrants(services, CLI_ACTOR, id, grants),
    setSettings: async (id, settings) => (await setSettings(services, CLI_ACTOR, id, settings)).settings,
    tableDefinitions: async () => [...services.tables.list()],
    importRows: async (table, rows) => ({ upserted: await importTableRows(services, CLI_ACTOR, table, rows) }),
  };
}
