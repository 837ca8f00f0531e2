import type { HttpBindings } from '@hono/node-server';
import type { RequestIdVariables } from 'hono/request-id';
import type { Principal } from '../security/principal';

/** Hono's env for every route: the Node socket (absent under `app.request()`) and per-request facts. */
export type AppEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: RequestIdVariables & {
    /** The caller's address (after trusted-proxy forwarding). */
    clientIp: string;
    /** True when the caller reached us over TLS (directly, or via a trusted TLS-terminating proxy). */
    secure: boolean;
    principal: Principal;
    /**
     * For the audit only, never for authorization: the user whose token a refused request carried
     * (a wrong key, a revoked pair, over the rate limit), so the refusal names it, not `anonymous`.
     */
    tokenOwner: Extract<Principal, { kind: 'user' }>;
  };
};
