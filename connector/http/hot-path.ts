import type { Context, ErrorHandler, Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { z } from 'zod';
import type { Services } from '../deps';
import { logRequest } from './access-log';
import type { AppEnv } from './app-env';
import { authenticateCaller, KEY, TOKEN } from './authenticate';
import { clientOf } from './client-info';
import { encode } from './compression';
import { jsonBody, type DataRoute } from './data-route';
import { invalidInput } from './errors';
import { refuseCredentialsIn, refuseUnlessTls } from './guards';
import { mayHaveBody, requestHeader } from './node-request';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';
import type { ResponseHeaders } from './response-headers';

/** The Hono pattern of an OpenAPI path: `/v1/tables/{table}` → `/v1/tables/:table`. */
const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** The pattern the middleware stack's /v1 guards are registered under (audit and metrics name it). */
const GUARDS = '/v1/*';

export interface HotPathOptions {
  headers: ResponseHeaders;
  onError: ErrorHandler<AppEnv>;
  trustedProxies: readonly string[];
  requireTls: boolean;
  /** `ConnectorConfig.compressAboveBytes`. */
  compressAboveBytes: number | null;
}

/**
 * The /v1 hot path: each GET data route answered by one function that does, in the stack's
 * order, what the middleware stack of connector/app.ts does for it, calling the same modules:
 * request id, client address, credentials-in-query and TLS guards, authentication, rate limit and
 * last use, the route's query schema, the route's answer (compressed when negotiated), the access log line; errors go to the
 * app's own error handler (audit of refusals included). It is registered before the stack: Hono
 * runs matched handlers in registration order, and one that returns a Response without calling
 * `next()` ends the chain, so the stack's async layers, its undici `Headers` and its response
 * rebuilds are skipped. Answers carry the stack's header set as a plain object (`ResponseHeaders`).
 *
 * What it leaves to the stack (by calling `next()`): a request that may have a body (the stack's
 * body limit reads it). Preflights and other methods never match a GET route. That the two give
 * the same headers and body is pinned by test/connector/http/hot-path-headers.test.ts: a module
 * the stack gains must be called here too.
 */
export function mountHotPath(app: Hono<AppEnv, any, any>, services: Services, routes: readonly DataRoute[], options: HotPathOptions): void {
  const { headers, onError, trustedProxies, requireTls, compressAboveBytes } = options;
  const { log } = services;
  for (const { route, answer } of routes) {
    const querySchema = route.request?.query;
    app.get(honoPath(route.path), async (c, next) => {
      if (mayHaveBody(c)) return next();
      if (!headers.isReady) await headers.ready;
      const started = performance.now();
      const { ip, secure } = clientOf(c, trustedProxies);
      c.set('clientIp', ip);
      c.set('secure', secure);
      const requestId = requestIdOf(requestHeader(c, REQUEST_ID_HEADER));
      c.set('requestId', requestId);
      const sent = headers.of({ requestId, origin: requestHeader(c, 'origin'), secure });
      let response: Response;
      let guarded = true;
      try {
        refuseCredentialsIn(c.req.url);
        refuseUnlessTls(requireTls, secure, ip);
        const caller = await authenticateCaller(c, services, requestHeader(c, TOKEN), requestHeader(c, KEY));
        c.set('principal', caller);
        guarded = false;
        const query = querySchema ? parseQuery(c, querySchema) : {};
        const { body, headers: encoding } = encode(jsonBody(await answer(c, caller, query as never)), requestHeader(c, 'accept-encoding'), compressAboveBytes);
        response = new Response(body, { status: 200, headers: Object.assign(sent, encoding) });
      } catch (error) {
        // The stack's guards are `/v1/*` middleware: their refusals are audited and counted under it.
        if (guarded) attributeTo(c, GUARDS);
        for (const [name, value] of Object.entries(sent)) c.header(name, value);
        response = await onError(error as Error, c);
      }
      logRequest(log, c, response.status, started);
      return response;
    });
  }
}

/** The query as hono's validator gives it to the OpenAPI route (a repeated name as an array), checked by its schema. */
function parseQuery(c: Context<AppEnv>, schema: z.ZodType): unknown {
  const value: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(c.req.queries())) value[name] = values.length === 1 ? values[0] : values;
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

/** Makes `c.req.routePath` (the audit's action, the metrics' route label) name the matched `pattern`. */
function attributeTo(c: Context<AppEnv>, pattern: string): void {
  const index = matchedRoutes(c).findIndex((route) => route.path === pattern);
  if (index !== -1) c.req.routeIndex = index;
}
