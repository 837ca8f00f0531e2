import type { Context } from 'hono';
import type { AppEnv } from './app-env';

// The request as Node parsed it, when it came over a socket. Asking `c.req.header()` makes
// @hono/node-server build an undici `Headers` for the request (every header copied and validated
// again): measurable on every /v1 call (docs/PERFORMANCE.md). Under `app.request()` there is no
// Node request, and the Request answers instead.

/**
 * A request header by its lower-case name. Node joins a repeated field with ", ", as
 * `Headers.get()` does, except for the few it keeps one of (Content-Type, Authorization, Host,
 * User-Agent, Content-Length...): read those from `c.req` when their value, not their presence,
 * matters.
 */
export function requestHeader(c: Context<AppEnv>, name: Lowercase<string>): string | undefined {
  const headers = c.env?.incoming?.headers;
  if (headers === undefined) return c.req.header(name);
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Over Node's HTTP server a request has a body only with Content-Length or Transfer-Encoding
 * (RFC 9112 §6.3), so asking for the body stream (which builds a full `Request`) is needed only
 * then. Without a Node request (`app.request()`), the Request says.
 */
export function mayHaveBody(c: Context<AppEnv>): boolean {
  const headers = c.env?.incoming?.headers;
  if (headers === undefined) return c.req.raw.body !== null;
  return headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
}
