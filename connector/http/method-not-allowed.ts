import type { Hono, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import { noSuchRoute } from './errors';

/**
 * Hono answers an unmatched method with 404; the contract wants 405 with `Allow`. This runs last,
 * after no route matched: if the path matches a route under another method, it is a 405.
 */
export function methodNotAllowed(app: Hono<any, any, any>): MiddlewareHandler {
  let patterns: Array<{ regex: RegExp; method: string }> | null = null;
  return async (c) => {
    patterns ??= app.routes
      .filter((route) => route.method !== 'ALL' && !route.path.includes('*'))
      .map((route) => ({ regex: toRegex(route.path), method: route.method }));
    const path = new URL(c.req.url).pathname;
    const allowed = [...new Set(patterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
    if (allowed.length === 0) throw noSuchRoute(c.req.method, path);
    if (allowed.includes('GET')) allowed.push('HEAD');
    throw new ApiError('method_not_allowed', `${c.req.method} is not allowed here; use ${allowed.join(', ')}.`, {
      Allow: allowed.join(', '),
    });
  };
}

function toRegex(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
