import { Hono, type MiddlewareHandler } from 'hono';
import type { CorsPolicy } from './cors';
import { HSTS } from './hsts';
import { REQUEST_ID_HEADER } from './request-id';

/** The headers `middleware` adds to a bodyless answer, found by running it once in an app of its own. */
export async function headersAddedBy(middleware: MiddlewareHandler): Promise<Record<string, string>> {
  const probe = new Hono();
  probe.use(middleware);
  probe.get('/', (c) => c.body(null));
  return Object.fromEntries((await probe.request('/')).headers);
}

export interface RequestFacts {
  requestId: string;
  origin: string | undefined;
  /** Over TLS (`clientOf`): HSTS is sent then only. */
  secure: boolean;
}

/**
 * The headers of a /v1 answer as a plain object, the set the middleware stack gives every guarded
 * response: the stack's own secure headers (captured by running its `secureHeaders` once, so there
 * is one source for them), CORS for the caller's origin, the request id, `no-store`, and HSTS over
 * HTTPS. A plain object is what @hono/node-server writes with one `writeHead`, without an undici
 * `Headers` in between.
 */
export class ResponseHeaders {
  private fixed: Record<string, string> | undefined;
  /** Resolves once the captured part is known; only the first requests wait for it. */
  readonly ready: Promise<void>;

  constructor(
    secureHeaders: MiddlewareHandler,
    private readonly cors: CorsPolicy,
  ) {
    this.ready = headersAddedBy(secureHeaders).then((headers) => {
      this.fixed = { ...headers, 'cache-control': 'no-store' };
    });
  }

  get isReady(): boolean {
    return this.fixed !== undefined;
  }

  /** A fresh object each call: the caller adds its own (Content-Type) to it. */
  of(request: RequestFacts): Record<string, string> {
    if (this.fixed === undefined) throw new Error('ResponseHeaders.of() before ready');
    const headers: Record<string, string> = { ...this.fixed, ...this.cors.headersFor(request.origin), [REQUEST_ID_HEADER]: request.requestId };
    if (request.secure) headers['strict-transport-security'] = HSTS;
    return headers;
  }
}
