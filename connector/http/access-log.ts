import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../logger';
import type { AppEnv } from './app-env';
import { redactKeys } from './redact';

/** One line per request. The path only: a query string could carry a pasted key. */
export function logRequest(log: Logger, c: Context<AppEnv>, status: number, started: number): void {
  log.info('request', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: redactKeys(c.req.path),
    status,
    ms: Math.round((performance.now() - started) * 10) / 10,
    ip: c.get('clientIp'),
  });
}

export function accessLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logRequest(log, c, c.res.status, started);
  };
}
