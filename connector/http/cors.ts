import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';

export interface CorsOptions {
  /** Origins allowed besides the connector's own (exact match). */
  origins: readonly string[];
  allowHeaders: readonly string[];
  allowMethods: readonly string[];
  exposeHeaders: readonly string[];
  maxAgeSeconds: number;
}

/**
 * CORS as hono/cors does it (same headers, preflight answered 204), but every header is set before
 * the route builds its response. hono/cors touches `c.res` before the route and appends `Vary`
 * after it, and each of those makes Hono rebuild the finished response around its body as a
 * stream: measured, that cost more than the route itself on a 10-row page (docs/PERFORMANCE.md).
 */
export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const allowed = new Set(options.origins);
  const expose = options.exposeHeaders.join(',');
  const methods = options.allowMethods.join(',');
  const headers = options.allowHeaders.join(',');
  const maxAge = String(options.maxAgeSeconds);
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowOrigin = origin !== undefined && allowed.has(origin) ? origin : null;
    if (allowOrigin) c.header('Access-Control-Allow-Origin', allowOrigin);
    if (expose) c.header('Access-Control-Expose-Headers', expose);
    c.header('Vary', 'Origin', { append: true });
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Max-Age', maxAge);
      c.header('Access-Control-Allow-Methods', methods);
      c.header('Access-Control-Allow-Headers', headers);
      c.header('Vary', 'Access-Control-Request-Headers', { append: true });
      return c.body(null, 204);
    }
    await next();
    // A response built without c.* helpers drops headers set in advance: add them (slow path).
    if (!c.res.headers.has('Vary')) {
      if (allowOrigin) c.header('Access-Control-Allow-Origin', allowOrigin);
      if (expose) c.header('Access-Control-Expose-Headers', expose);
      c.header('Vary', 'Origin', { append: true });
    }
  };
}
