import type { Context, MiddlewareHandler } from 'hono';
import { ipInRanges, normalizeIp } from '../security/ip-ranges';
import type { AppEnv } from './app-env';
import { requestHeader } from './node-request';

export interface ClientInfo {
  /** The caller's address (after trusted-proxy forwarding). */
  ip: string;
  /** True when the caller reached us over TLS (directly, or via a trusted TLS-terminating proxy). */
  secure: boolean;
}

/**
 * Works out the caller's address and whether it used TLS. `X-Forwarded-For` and
 * `X-Forwarded-Proto` are believed only from operator-named trusted proxies: anyone else could
 * forge them to dodge an IP allow-list. Under `app.request()` without a socket the caller is an
 * in-process loopback client.
 */
export function clientOf(c: Context<AppEnv>, trustedProxies: readonly string[]): ClientInfo {
  const socket = c.env?.incoming?.socket as (import('node:net').Socket & { encrypted?: boolean }) | undefined;
  let ip = normalizeIp(socket?.remoteAddress ?? '127.0.0.1');
  let secure = Boolean(socket?.encrypted);
  if (trustedProxies.length > 0 && ipInRanges(ip, trustedProxies)) {
    const hops = (requestHeader(c, 'x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
    // Walk back from the nearest hop; the first address that is not a trusted proxy is the client.
    while (hops.length > 0) {
      const hop = normalizeIp(hops.pop() as string);
      ip = hop;
      if (!ipInRanges(hop, trustedProxies)) break;
    }
    const proto = requestHeader(c, 'x-forwarded-proto');
    if (proto) secure = proto.split(',').pop()?.trim().toLowerCase() === 'https';
  }
  return { ip, secure };
}

/** Sets `clientIp` and `secure` for the rest of the stack (see `clientOf`). */
export function clientInfo(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { ip, secure } = clientOf(c, trustedProxies);
    c.set('clientIp', ip);
    c.set('secure', secure);
    await next();
  };
}
