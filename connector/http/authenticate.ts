import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from '../contract';
import { isWellFormedToken } from '../credentials/key-format';
import type { Services } from '../deps';
import { ApiError } from '../errors';
import { auditEntryOf } from '../security/actor';
import { authenticate } from '../security/authenticate';
import type { Principal } from '../security/principal';
import type { AppEnv } from './app-env';
import { actorOf } from './actor';
import { requestHeader } from './node-request';
import { redactKeys } from './redact';

export const TOKEN = TOKEN_HEADER.toLowerCase() as Lowercase<string>;
export const KEY = KEY_HEADER.toLowerCase() as Lowercase<string>;

/** `/v1`: a user's token + key, then the per-credential rate limit. */
export function requireCredential(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('principal', await authenticateCaller(c, services, requestHeader(c, TOKEN), requestHeader(c, KEY)));
    await next();
  };
}

/**
 * `/admin`: a system or portal admin's credential, or the operator's global admin key when one is
 * configured (every use of it is audited here, before the route runs).
 */
export function requireAdmin(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const adminKey = c.req.header(ADMIN_KEY_HEADER);
    let principal: Principal;
    if (adminKey !== undefined) {
      if (!services.config.adminKey || !sameSecret(adminKey, services.config.adminKey)) {
        throw new ApiError('invalid_credentials', 'The admin key is not valid.');
      }
      principal = { kind: 'admin-key' };
      // Every use of the global key is audited, reads included (routes audit only their changes).
      c.set('principal', principal);
      services.store.audit.append(auditEntryOf(actorOf(c), `admin-key.use ${c.req.method}`, redactKeys(new URL(c.req.url).pathname), services.now()));
    } else {
      principal = await authenticateCaller(c, services, requestHeader(c, TOKEN), requestHeader(c, KEY));
      const roles = principal.user.roles;
      if (!roles.includes('system-admin') && !roles.includes('portal-admin')) {
        c.set('principal', principal);
        throw new ApiError('forbidden', 'Only system and portal administrators may use the admin API.');
      }
    }
    c.set('principal', principal);
    await next();
  };
}

/**
 * The caller of a token + key, rate limit counted and last use recorded; on a refusal, the token's
 * owner (if any) is kept as `tokenOwner` for the audit line. `clientIp` must be set.
 */
export async function authenticateCaller(
  c: Context<AppEnv>,
  services: Services,
  token: string | undefined,
  key: string | undefined,
): Promise<Extract<Principal, { kind: 'user' }>> {
  try {
    return await authenticateAndLimit(token, key, c.get('clientIp'), services);
  } catch (error) {
    const owner = token === undefined ? undefined : await tokenOwner(token, services);
    if (owner) c.set('tokenOwner', owner);
    throw error;
  }
}

/** The user a token belongs to, whatever the key: names a refused request in the audit. */
async function tokenOwner(token: string, services: Services): Promise<Extract<Principal, { kind: 'user' }> | undefined> {
  if (!isWellFormedToken(token)) return undefined;
  const holder = await services.store.security.findPrincipal(token);
  return holder?.user ? { kind: 'user', ...holder, user: holder.user } : undefined;
}

async function authenticateAndLimit(token: string | undefined, key: string | undefined, ip: string, services: Services) {
  const now = services.now();
  const principal = await authenticate({ token, key, ip, now }, services.store.security, services.vault);
  const { requests, windowSeconds } = services.config.rateLimit;
  const retryAfter = await services.rateLimiter.take(principal.credential.id, now.getTime());
  if (retryAfter > 0) {
    throw new ApiError('rate_limited', `Too many requests: at most ${requests} per ${windowSeconds} s; retry in ${retryAfter} s.`, {
      'Retry-After': String(retryAfter),
    });
  }
  services.store.security.recordCredentialUse(principal.credential.id, now.toISOString(), ip);
  return principal;
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
