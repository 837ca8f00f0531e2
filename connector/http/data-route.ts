import type { RouteConfig } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import type { z } from 'zod';
import type { Principal } from '../security/principal';
import type { JsonText } from '../tables/read-table';
import type { AppEnv } from './app-env';
import { encode } from './compression';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;
type QueryOf<R extends RouteConfig> = R['request'] extends { query: infer S extends z.ZodType } ? z.output<S> : Record<string, never>;

/**
 * A GET data route: its OpenAPI definition (path and query schema, the one source of its rules)
 * and its answer as JSON text, which both its OpenAPI handler and the /v1 hot path
 * (`hot-path.ts`) send.
 */
export interface DataRoute<R extends RouteConfig = RouteConfig> {
  route: R;
  answer(c: Context<AppEnv, any, any>, caller: UserPrincipal, query: QueryOf<R>): JsonText | Promise<JsonText>;
}

export const dataRoute = <R extends RouteConfig>(route: R, answer: DataRoute<R>['answer']): DataRoute<R> => ({ route, answer });

/** A path parameter of the matched route, decoded; its pattern guarantees it is there. */
export function pathParam(c: Context<AppEnv, any, any>, name: string): string {
  const value = c.req.param(name) as string | undefined;
  if (value === undefined) throw new Error(`The route has no parameter "${name}".`);
  return value;
}

/** Larger answers go out as bytes: Node would otherwise copy the whole text to put the headers before it. */
const LARGE_TEXT = 64 * 1024;

/** JSON text as a response body: small text as it is (written with the headers in one go), large text encoded once, bytes as they are. */
export function jsonBody(text: JsonText): string | Uint8Array<ArrayBuffer> {
  return typeof text === 'string' && text.length > LARGE_TEXT ? Buffer.from(text, 'utf8') : text;
}

/**
 * An answer's JSON text from an OpenAPI handler: the very JSON `c.json()` would send for a `T`, so
 * it is typed as that response; compressed as the hot path compresses it (`encode`).
 */
export function sendJson<T>(c: Context, text: JsonText, compressAboveBytes: number | null) {
  const { body, headers } = encode(jsonBody(text), c.req.header('accept-encoding'), compressAboveBytes);
  return c.body(body, 200, { 'content-type': 'application/json', ...headers }) as unknown as TypedResponse<JSONParsed<T>, 200, 'json'>;
}
