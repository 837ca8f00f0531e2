import type { MiddlewareHandler } from 'hono';
import { TOKEN_PREFIX } from '../contract';
import { ApiError } from '../errors';
import { isLoopback } from '../security/ip-ranges';
import type { AppEnv } from './app-env';
import { containsKey } from './redact';

const CREDENTIAL_PARAMS = new Set([
  'token', 'key', 'apikey', 'api_key', 'api-key', 'apitoken', 'api_token', 'api-token',
  'x-api-key', 'x-api-token', 'x-admin-key', 'admin_key', 'adminkey', 'access_token',
]);

/** Credentials in a URL end up in proxy logs and browser history: refuse them, never use them. */
export function refuseCredentialsIn(url: string): void {
  const query = url.indexOf('?');
  if (query === -1) return;
  for (const [name, value] of new URLSearchParams(url.slice(query + 1))) {
    // A key is recognized however many times it was percent-encoded (URLSearchParams decodes once).
    if (CREDENTIAL_PARAMS.has(name.toLowerCase()) || containsKey(name) || containsKey(value) || value.startsWith(TOKEN_PREFIX)) {
      throw new ApiError('credentials_in_query', 'Credentials are never accepted in the URL; send them in the X-Api-Token and X-Api-Key headers, and treat this key as leaked.');
    }
  }
}

export const refuseCredentialsInQuery: MiddlewareHandler<AppEnv> = async (c, next) => {
  refuseCredentialsIn(c.req.url);
  await next();
};

/** Plain HTTP only from this machine, when the operator requires TLS. */
export function refuseUnlessTls(enabled: boolean, secure: boolean, ip: string): void {
  if (enabled && !secure && !isLoopback(ip)) {
    throw new ApiError('https_required', 'Use HTTPS: plain HTTP is only accepted from this machine.');
  }
}

export function requireTls(enabled: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    refuseUnlessTls(enabled, c.get('secure'), c.get('clientIp'));
    await next();
  };
}

/**
 * Data and secrets must not be kept by browsers or proxies. Set before the route answers: setting a
 * header on a finished response makes Hono rebuild it around its body as a stream (measurably
 * slower); the check after catches a response built without c.* helpers.
 */
export const noStore: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
  if (c.res.headers.get('Cache-Control') !== 'no-store') c.header('Cache-Control', 'no-store');
};
