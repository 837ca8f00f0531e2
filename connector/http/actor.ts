import type { Context } from 'hono';
import type { Actor } from '../security/actor';
import type { AppEnv } from './app-env';

/** The request's caller as the services see it: its principal and its address. */
export function actorOf(c: Context<AppEnv>): Actor {
  return { principal: c.get('principal'), ip: c.get('clientIp') };
}
