import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import { requestHeader } from './node-request';

export interface CorsOptions {
  /** Origins allowed besides the connector's own (exact match). */
  origins: readonly string[];
  allowHeaders: readonly string[];
  allowMethods: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

/** The app's CORS rules, read by the middleware below and by the /v1 hot path alike. */
export interface CorsPolicy {
  /** The headers of an actual (not preflight) response to a request from `origin`: the same object for the same answer. */
  headersFor(origin: string | undefined): Record<string, string>;
  /** The preflight's own headers, besides those of `headersFor`. */
  readonly preflight: Record<string, string>;
}

export function corsPolicy(options: CorsOptions): CorsPolicy {
  const expose = options.exposeHeaders.join(',');
  const shared: Record<string, string> = expose ? { 'access-control-expose-headers': expose, vary: 'Origin' } : { vary: 'Origin' };
  // One object per allowed origin, made once: callers may key a cache on it.
  const byOrigin = new Map(options.origins.map((origin) => [origin, { 'access-control-allow-origin': origin, ...shared }]));
  return {
    headersFor: (origin) => (origin === undefined ? shared : (byOrigin.get(origin) ?? shared)),
    preflight: {
      'access-control-max-age': String(options.maxAgeSeconds),
      'access-control-allow-methods': options.allowMethods.join(','),
      'access-control-allow-headers': options.allowHeaders.join(','),
    },
  };
}

/**
 * CORS as hono/cors does it (same headers, preflight answered 204), but every header is set before
 * the route builds its response. hono/cors touches `c.res` before the route and appends `Vary`
 * after it, and each of those makes Hono rebuild the finished response around its body as a
 * stream: measured, that cost more than the route itself on a 10-row page (docs/PERFORMANCE.md).
 */
export function cors(policy: CorsPolicy): MiddlewareHandler<AppEnv> {
  const setAll = (c: Context<AppEnv>, headers: Record<string, string>) => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value, { append: name === 'vary' });
  };
  return async (c, next) => {
    const headers = policy.headersFor(requestHeader(c, 'origin'));
    setAll(c, headers);
    if (c.req.method === 'OPTIONS') {
      setAll(c, policy.preflight);
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
      return c.body(null, 204);
    }
    await next();
    // A response built without c.* helpers drops headers set in advance: add them (slow path).
    if (!c.res.headers.has('Vary')) setAll(c, headers);
  };
}
