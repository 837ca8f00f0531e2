import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../deps';
import { auditAction } from '../http/audit-action';
import { ADMIN_SECURED, errorResponses, newRouter } from '../http/router';
import {
  createUser,
  deleteUser,
  describeUser,
  getManagedUser,
  pageUsers,
  setGrants,
  setSettings,
  updateUser,
} from '../security/users';
import {
  GrantsBody,
  json,
  jsonBody,
  NewUserBody,
  SettingsBody,
  UserChangesBody,
  UserIdParams,
  UserListQuery,
  UserPageSchema,
  UserSchema,
} from './admin-schemas';

const tags = ['Admin: users'];
const common = { tags, security: ADMIN_SECURED };

const create = createRoute({
  ...common,
  method: 'post',
  path: '/admin/users',
  summary: 'Create a user (API access off)',
  request: { body: jsonBody(NewUserBody) },
  responses: { 201: json(UserSchema, 'The new user'), ...errorResponses(400, 401, 403, 409, 413) },
});

const list = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users',
  summary: 'Users the caller may manage, by username, one page at a time (search with q)',
  request: { query: UserListQuery },
  responses: { 200: json(UserPageSchema, 'One page of users'), ...errorResponses(400, 401, 403) },
});

const get = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users/{id}',
  summary: 'One user',
  request: { params: UserIdParams },
  responses: { 200: json(UserSchema, 'The user'), ...errorResponses(401, 403, 404) },
});

const patch = createRoute({
  ...common,
  method: 'patch',
  path: '/admin/users/{id}',
  summary: 'Change profile, active, roles, organizations, teams or allowed IPs',
  request: { params: UserIdParams, body: jsonBody(UserChangesBody) },
  responses: { 200: json(UserSchema, 'The changed user'), ...errorResponses(400, 401, 403, 404, 409) },
});

const remove = createRoute({
  ...common,
  method: 'delete',
  path: '/admin/users/{id}',
  summary: 'Delete a user; every credential of it stops working at once',
  request: { params: UserIdParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

const grants = createRoute({
  ...common,
  method: 'put',
  path: '/admin/users/{id}/grants',
  summary: 'Set the highest format per table',
  request: { params: UserIdParams, body: jsonBody(GrantsBody) },
  responses: { 200: json(z.object({ grants: GrantsBody }), 'Every grant of the user'), ...errorResponses(400, 401, 403, 404) },
});

const settings = createRoute({
  ...common,
  method: 'put',
  path: '/admin/users/{id}/settings',
  summary: 'Set per-user data settings (stock warehouse, price customer)',
  request: { params: UserIdParams, body: jsonBody(SettingsBody) },
  responses: { 200: json(z.object({ settings: SettingsBody }), 'The settings'), ...errorResponses(400, 401, 403, 404) },
});

export function adminUserRoutes(services: Services) {
  return newRouter()
    .openapi(create, async (c) => {
      const user = await createUser(services, c.get('principal'), c.req.valid('json'));
      auditAction(c, services, 'user.create', user.username);
      return c.json(describeUser(services, user), 201);
    })
    .openapi(list, (c) => {
      const page = pageUsers(services, c.get('principal'), c.req.valid('query'));
      return c.json({ users: page.users.map((user) => describeUser(services, user)), nextCursor: page.nextCursor }, 200);
    })
    .openapi(get, (c) => {
      const user = getManagedUser(services, c.get('principal'), c.req.valid('param').id);
      return c.json(describeUser(services, user), 200);
    })
    .openapi(patch, async (c) => {
      const changes = c.req.valid('json');
      const user = await updateUser(services, c.get('principal'), c.req.valid('param').id, changes);
      auditAction(c, services, `user.update ${Object.keys(changes).join(',')}`, user.username);
      return c.json(describeUser(services, user), 200);
    })
    .openapi(remove, async (c) => {
      const id = c.req.valid('param').id;
      const username = getManagedUser(services, c.get('principal'), id).username;
      await deleteUser(services, c.get('principal'), id);
      auditAction(c, services, 'user.delete', username);
      return c.body(null, 204);
    })
    .openapi(grants, async (c) => {
      const id = c.req.valid('param').id;
      const result = await setGrants(services, c.get('principal'), id, c.req.valid('json'));
      auditAction(c, services, `grants.set ${JSON.stringify(c.req.valid('json'))}`, getManagedUser(services, c.get('principal'), id).username);
      return c.json({ grants: result }, 200);
    })
    .openapi(settings, async (c) => {
      const user = await setSettings(services, c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
      auditAction(c, services, 'settings.set', user.username);
      return c.json({ settings: user.settings }, 200);
    });
}

