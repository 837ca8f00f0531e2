import { afterEach, beforeEach, expect } from 'vitest';
import type { ConnectorApp } from '../../connector/app';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from '../../connector/contract';
import { addinFiles } from '../../connector/routes/addin-files';
import { consoleFiles } from '../../connector/routes/console-files';
import { createTestContext, type TestContext } from './harness';

/** An ISO 8601 UTC timestamp as the connector writes them (`toISOString()`). */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Asserts the contract's error shape exactly: status, code, a one-sentence message and nothing
 * else (no stack, no path, no extra fields). Returns the body for further checks.
 */
export async function expectError(response: Response, status: number, code: string): Promise<ErrorBody> {
  const body = (await response.json()) as ErrorBody;
  expect({ status: response.status, code: body.error?.code }).toEqual({ status, code });
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.message).toMatch(/\S/);
  return body;
}

/** Asserts the status and returns the parsed JSON body. */
export async function expectJson<T = any>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toMatchObject({ status });
  return JSON.parse(text) as T;
}

export function pairHeaders(pair: { token: string; key: string }): Record<string, string> {
  return { [TOKEN_HEADER]: pair.token, [KEY_HEADER]: pair.key };
}

export function adminKeyHeaders(adminKey: string): Record<string, string> {
  return { [ADMIN_KEY_HEADER]: adminKey };
}

export type Caller = (method: string, path: string, body?: unknown, ip?: string) => Promise<Response>;

/** A request function bound to one caller's headers. */
export function callerWith(ctx: TestContext, headers: Record<string, string>): Caller {
  return (method, path, body, ip) => ctx.request(method, path, { headers, body, ip });
}

/** A system admin with a live pair, and a caller bound to it. */
export async function systemAdmin(ctx: TestContext, username?: string) {
  const admin = await ctx.createUser({ username, roles: ['system-admin'] });
  return { ...admin, call: callerWith(ctx, admin.headers) };
}

/** Does this pair get through `/v1/me`? Returns the status. */
export async function v1Status(ctx: TestContext, pair: { token: string; key: string }): Promise<number> {
  return (await ctx.request('GET', '/v1/me', { headers: pairHeaders(pair) })).status;
}

export interface AppRoute {
  method: string;
  path: string;
}

/**
 * The app's real routes (from `app.routes`), without middleware entries, catch-alls, the
 * API description itself and the add-in's static files.
 */
export function declaredRoutes(app: ConnectorApp): AppRoute[] {
  const staticFiles = new Set([...addinFiles().routes, ...consoleFiles().routes].map((route) => route.path));
  const seen = new Set<string>();
  const routes: AppRoute[] = [];
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || path.includes('*') || staticFiles.has(path)) continue;
    if (path === '/docs') continue;
    const id = `${method} ${path}`;
    if (seen.has(id)) continue;
    seen.add(id);
    routes.push({ method, path });
  }
  return routes;
}

/** Fills `:param` segments of a route path. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for :${name} in ${path}`);
    return encodeURIComponent(value);
  });
}

/**
 * A fresh connector and a system admin caller for each test, closed after it. `use` receives
 * them, so a test file keeps its own `ctx` and `admin` names.
 */
export function withAdminContext(use: (ctx: TestContext, admin: Caller) => void): void {
  let current: TestContext | undefined;
  beforeEach(async () => {
    current = await createTestContext();
    use(current, (await systemAdmin(current)).call);
  });
  afterEach(async () => {
    await current?.close();
  });
}
