import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../deps';
import { actorOf } from '../http/actor';
import { ADMIN_SECURED, guardedErrors, json, jsonBody, newRouter, noContent } from '../http/router';
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
import { GrantsBody, NewUserBody, SettingsBody, UserChangesBody, UserSchema } from '../domain/user';
import type { User } from '../store/types';
import { UserIdParams, UserListQuery, UserPageSchema } from './admin-schemas';

const tags = ['Admin: users'];
const common = { tags, security: ADMIN_SECURED };

const create = createRoute({
  ...common,
  method: 'post',
  path: '/admin/users',
  operationId: 'createUser',
  summary: 'Create a user (API access off)',
  request: { body: jsonBody(NewUserBody) },
  responses: { 201: json(UserSchema, 'The new user'), ...guardedErrors(409) },
});

const list = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users',
  operationId: 'listUsers',
  summary: 'Users the caller may manage, by username, one page at a time (search with q)',
  request: { query: UserListQuery },
  responses: { 200: json(UserPageSchema, 'One page of users'), ...guardedErrors() },
});

const get = createRoute({
  ...common,
  method: 'get',
  path: '/admin/users/{id}',
  operationId: 'getUser',
  summary: 'One user',
  request: { params: UserIdParams },
  responses: { 200: json(UserSchema, 'The user'), ...guardedErrors(404) },
});

const patch = createRoute({
  ...common,
  method: 'patch',
  path: '/admin/users/{id}',
  operationId: 'updateUser',
  summary: 'Change profile, active, roles, organizations, teams or allowed IPs',
  request: { params: UserIdParams, body: jsonBody(UserChangesBody) },
  responses: { 200: json(UserSchema, 'The changed user'), ...guardedErrors(404, 409) },
});

const remove = createRoute({
  ...common,
  method: 'delete',
  path: '/admin/users/{id}',
  operationId: 'deleteUser',
  summary: 'Delete a user; every credential of it stops working at once',
  request: { params: UserIdParams },
  responses: { 204: noContent('Deleted'), ...guardedErrors(404) },
});

const grants = createRoute({
  ...common,
  method: 'put',
  path: '/admin/users/{id}/grants',
  operationId: 'setUserGrants',
  summary: 'Set the highest format per table',
  request: { params: UserIdParams, body: jsonBody(GrantsBody) },
  responses: { 200: json(z.object({ grants: GrantsBody }), 'Every grant of the user'), ...guardedErrors(404) },
});

const settings = createRoute({
  ...common,
  method: 'put',
  path: '/admin/users/{id}/settings',
  operationId: 'setUserSettings',
  summary: 'Set per-user data settings (stock warehouse, price customer)',
  request: { params: UserIdParams, body: jsonBody(SettingsBody) },
  responses: { 200: json(z.object({ settings: SettingsBody }), 'The settings'), ...guardedErrors(404) },
});

export function adminUserRoutes(services: Services) {
  const view = (user: User) => describeUser(services.store.security, user);
  return newRouter()
    .openapi(create, async (c) => c.json(await view(await createUser(services, actorOf(c), c.req.valid('json'))), 201))
    .openapi(list, async (c) => {
      const page = await pageUsers(services, actorOf(c), c.req.valid('query'));
      return c.json({ users: await Promise.all(page.users.map(view)), nextCursor: page.nextCursor }, 200);
    })
    .openapi(get, async (c) => c.json(await view(await getManagedUser(services, actorOf(c), c.req.valid('param').id)), 200))
    .openapi(patch, async (c) => c.json(await view(await updateUser(services, actorOf(c), c.req.valid('param').id, c.req.valid('json'))), 200))
    .openapi(remove, async (c) => {
      await deleteUser(services, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(grants, async (c) => c.json({ grants: await setGrants(services, actorOf(c), c.req.valid('param').id, c.req.valid('json')) }, 200))
    .openapi(settings, async (c) => {
      const user = await setSettings(services, actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ settings: user.settings }, 200);
    });
}
