import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { AppEnv } from './app-env';
import { containsKey } from './redact';

/**
 * Hono's request id (a client may send its own `X-Request-Id`, to trace a call end to end), except
 * that an id holding a key is replaced by a fresh one: request ids go into every log line.
 */
export function requestIdWithoutKeys(): MiddlewareHandler<AppEnv> {
  const assign = requestId();
  return (c, next) =>
    assign(c, async () => {
      const id = c.get('requestId');
      if (containsKey(id)) {
        const fresh = randomUUID();
        c.set('requestId', fresh);
        c.header('X-Request-Id', fresh);
      }
      await next();
    });
}
