import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';

/** Hono secureHeaders' own default value. */
export const HSTS = 'max-age=15552000; includeSubDomains';

/**
 * Strict-Transport-Security on HTTPS responses only (RFC 6797 §7.2: a host must not send it over
 * plain HTTP). "HTTPS" is `clientInfo`'s judgement: a TLS socket, or a trusted proxy's
 * `X-Forwarded-Proto: https`.
 */
export const strictTransportSecurity: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.get('secure')) c.res.headers.set('Strict-Transport-Security', HSTS);
};
