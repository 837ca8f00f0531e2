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
 * JSON response: the stack's own secure headers (captured by running its `secureHeaders` once, so
 * there is one source for them), CORS for the caller's origin, the request id, `no-store`, JSON's
 * Content-Type, and HSTS over HTTPS. A plain object is what @hono/node-server writes with one `writeHead`, without an undici
 * `Headers` in between.
 */
export class ResponseHeaders {
  private fixed: Record<string, string> | undefined;
  /** Everything but the request id, per CORS answer (`CorsPolicy` gives one object per origin) and HTTPS. */
  private readonly variants = new Map<Record<string, string>, [plain: Record<string, string>, https: Record<string, string>]>();
  /** Resolves once the captured part is known; only the first requests wait for it. */
  readonly ready: Promise<void>;

  constructor(
    secureHeaders: MiddlewareHandler,
    private readonly cors: CorsPolicy,
  ) {
    this.ready = headersAddedBy(secureHeaders).then((headers) => {
      this.fixed = { ...headers, 'cache-control': 'no-store', 'content-type': 'application/json' };
    });
  }

  get isReady(): boolean {
    return this.fixed !== undefined;
  }

  /** A fresh object each call (the caller may add to it), made by one spread of a kept variant. */
  of(request: RequestFacts): Record<string, string> {
    if (this.fixed === undefined) throw new Error('ResponseHeaders.of() before ready');
    const cors = this.cors.headersFor(request.origin);
    let variant = this.variants.get(cors);
    if (variant === undefined) {
      const plain = { ...this.fixed, ...cors };
      variant = [plain, { ...plain, 'strict-transport-security': HSTS }];
      this.variants.set(cors, variant);
    }
    return { ...variant[request.secure ? 1 : 0], [REQUEST_ID_HEADER]: request.requestId };
  }
}
