import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import { requestHeader } from './node-request';
import { containsKey } from './redact';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The request's id: the caller's own `X-Request-Id` (to trace a call end to end) when it passes
 * hono/request-id's rule (at most 255 of `A-Z a-z 0-9 _ - =`), else a fresh UUID; an id holding a
 * key is replaced too, since request ids go into every log line. One rule for the middleware below
 * and the /v1 hot path.
 */
export function requestIdOf(given: string | undefined): string {
  if (!given || given.length > 255 || /[^\w\-=]/.test(given) || containsKey(given)) return randomUUID();
  return given;
}

/** Sets `requestId` and answers it in `X-Request-Id`. */
export function requestIdWithoutKeys(): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const id = requestIdOf(requestHeader(c, REQUEST_ID_HEADER));
    c.set('requestId', id);
    c.header(REQUEST_ID_HEADER, id);
    return next();
  };
}
