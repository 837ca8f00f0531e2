import {
  ERROR_STATUS,
  KEY_HEADER,
  TOKEN_HEADER,
  type DataFormat,
  type ErrorCode,
  type MeResponse,
  type TableList,
  type TablePage,
  type TableSummary,
} from '../../connector/contract';
import { messageFor, PaneError, paneMessages } from './errors';
import { checkPaste, trimPaste, type PastedCredentials } from './paste';
import { retryAfterSeconds, retryDelay, sleep, type RetryOptions } from './retry';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions extends RetryOptions {
  fetchFn?: FetchLike;
}

export interface PageOptions {
  signal?: AbortSignal;
  limit?: number;
  /** `fields=`: only these top-level columns (the connector adds the key). */
  fields?: readonly string[];
  /** `filter[FIELD]=VALUE`: only rows where every FIELD equals its VALUE. */
  filters?: Readonly<Record<string, string>>;
}

/** Rows per request: big enough to keep round trips few, small enough for a steady progress bar. */
export const PAGE_LIMIT = 5000;

/** Body rows an Excel worksheet holds (1,048,576 rows, less the header). */
export const EXCEL_MAX_ROWS = 1_048_575;

/**
 * Pages one pull may take: a worksheet's rows at the contract's default page of 1,000 rows, twice
 * over. A connector that keeps answering a `nextCursor` is stopped here instead of pulling forever.
 */
export const MAX_PAGES = 2 * Math.ceil(EXCEL_MAX_ROWS / 1000);

/** A typed client of the connector's v1 contract. Every failure is a PaneError with plain words. */
export class ConnectorClient {
  private constructor(
    private readonly base: URL,
    private readonly headers: Record<string, string>,
    private readonly fetchFn: FetchLike,
    private readonly retry: RetryOptions,
  ) {}

  /** Checks the paste first: a bad paste throws `bad_paste` and sends nothing. */
  static create(pasted: PastedCredentials, options: ClientOptions = {}): ConnectorClient {
    const problem = checkPaste(pasted);
    if (problem) throw new PaneError('bad_paste', problem);
    const { url, token, key } = trimPaste(pasted);
    const base = new URL(url);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    const { fetchFn = (input, init) => fetch(input, init), ...retry } = options;
    return new ConnectorClient(base, { [TOKEN_HEADER]: token, [KEY_HEADER]: key }, fetchFn, retry);
  }

  /** The API token in use: a public identifier, so it may name what was fetched with it. */
  get identity(): string {
    return this.headers[TOKEN_HEADER]!;
  }

  /** The connector's address as the analyst would write it. */
  get endpoint(): string {
    return this.base.href.replace(/\/$/, '');
  }

  async me(signal?: AbortSignal): Promise<MeResponse> {
    const body = await this.get<MeResponse>('v1/me', signal);
    if (!body?.user || typeof body.user.name !== 'string') throw this.badResponse();
    return body;
  }

  async tables(signal?: AbortSignal): Promise<TableSummary[]> {
    const body = await this.get<TableList>('v1/tables', signal);
    if (!Array.isArray(body?.tables)) throw this.badResponse();
    return body.tables;
  }

  /** One page; `tier_not_granted` is reworded with the highest format the caller still has. */
  async page(table: string, format: DataFormat, cursor: string | null, options: PageOptions = {}): Promise<TablePage> {
    const query = new URLSearchParams({ format, limit: String(options.limit ?? PAGE_LIMIT) });
    if (options.fields) query.set('fields', options.fields.join(','));
    for (const [field, value] of Object.entries(options.filters ?? {})) query.set(`filter[${field}]`, value);
    if (cursor) query.set('cursor', cursor);
    try {
      const body = await this.get<TablePage>(`v1/tables/${encodeURIComponent(table)}?${query}`, options.signal);
      if (!Array.isArray(body?.columns) || !Array.isArray(body.rows) || body.nextCursor === undefined) {
        throw this.badResponse();
      }
      return body;
    } catch (error) {
      if (error instanceof PaneError && error.code === 'tier_not_granted') {
        const highest = await this.highestFormat(table, options.signal);
        throw new PaneError('tier_not_granted', messageFor('tier_not_granted', { highestFormat: highest }));
      }
      throw error;
    }
  }

  /**
   * Every page of a table, following `nextCursor` to the end; stops as soon as `signal` aborts, and
   * with `bad_response` on a cursor seen before, past MAX_PAGES, or past what a worksheet holds.
   */
  async *pages(table: string, format: DataFormat, options: PageOptions = {}): AsyncGenerator<TablePage> {
    let cursor: string | null = null;
    const seen = new Set<string>();
    let rows = 0;
    for (let count = 1; ; count++) {
      if (options.signal?.aborted) throw new PaneError('cancelled', paneMessages.cancelled);
      const page: TablePage = await this.page(table, format, cursor, options);
      rows += page.rows.length;
      if (rows > EXCEL_MAX_ROWS) throw new PaneError('too_many_rows', paneMessages.tooManyRows(table, EXCEL_MAX_ROWS));
      yield page;
      cursor = page.nextCursor;
      if (!cursor) return;
      if (seen.has(cursor) || count >= MAX_PAGES) {
        throw new PaneError('bad_response', paneMessages.endlessPages(this.endpoint, table, count));
      }
      seen.add(cursor);
    }
  }

  private async highestFormat(table: string, signal?: AbortSignal): Promise<DataFormat | null> {
    try {
      return (await this.tables(signal)).find((t) => t.id === table)?.maxFormat ?? null;
    } catch {
      return null;
    }
  }

  /**
   * One GET, tried again (a bounded number of times, waiting as the connector asks) when it was
   * rate limited or the network or a gateway failed on the way; any other answer is final.
   */
  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, this.base).href;
    for (let attempt = 1; ; attempt++) {
      let error: PaneError;
      let retryAfter: string | null = null;
      try {
        return await this.getOnce<T>(url, signal);
      } catch (caught) {
        if (!(caught instanceof Answer)) throw caught;
        ({ error, retryAfter } = caught);
      }
      const wait = retryDelay(error.code, retryAfter, attempt, this.retry);
      if (wait === null) throw error;
      this.retry.onWait?.(Math.ceil(wait / 1000), error.code === 'rate_limited' ? 'rate_limited' : 'unreachable');
      await (this.retry.sleep ?? sleep)(wait, signal).catch(() => {
        throw new PaneError('cancelled', paneMessages.cancelled);
      });
    }
  }

  private async getOnce<T>(url: string, signal?: AbortSignal): Promise<T> {
    let response: Response;
    let body: unknown;
    try {
      // Never follow a redirect: the browser would send X-Api-Key on to wherever it points.
      response = await this.fetchFn(url, {
        method: 'GET',
        headers: { Accept: 'application/json', ...this.headers },
        signal,
        credentials: 'omit',
        redirect: 'manual',
      });
      if (isRedirect(response)) throw this.redirected(response, url);
      body = await response.json().catch((error: unknown) => {
        if (signal?.aborted) throw error;
        return undefined;
      });
    } catch (error) {
      if (error instanceof PaneError) throw error;
      if (signal?.aborted) throw new PaneError('cancelled', paneMessages.cancelled);
      throw new Answer(new PaneError('unreachable', paneMessages.unreachable(this.endpoint)), null);
    }
    if (!response.ok) {
      const failure = this.failure(response, body);
      if (failure.code === 'rate_limited' || GATEWAY_STATUS.has(response.status)) {
        throw new Answer(failure, response.headers.get('Retry-After'));
      }
      throw failure;
    }
    if (body === undefined) throw this.badResponse();
    return body as T;
  }

  /**
   * Where the redirect pointed, when the runtime says: browsers answer `redirect: 'manual'` with an
   * opaque response that hides the status and `Location`, so there the message can only say so.
   */
  private redirected(response: Response, url: string): PaneError {
    const location = response.type === 'opaqueredirect' ? null : response.headers.get('Location');
    let target: string | null = null;
    if (location) {
      try {
        target = new URL(location, url).href;
      } catch {
        target = location;
      }
    }
    return new PaneError('redirected', paneMessages.redirected(this.endpoint, target));
  }

  private failure(response: Response, body: unknown): PaneError {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof error?.code === 'string' && error.code in ERROR_STATUS ? (error.code as ErrorCode) : null;
    if (!code) {
      // Not the contract's error shape: a proxy or some other server answered.
      return response.status === 429 ? new PaneError('rate_limited', messageFor('rate_limited')) : this.badResponse();
    }
    return new PaneError(
      code,
      messageFor(code, {
        serverMessage: typeof error?.message === 'string' ? error.message : undefined,
        retryAfterSeconds: retryAfterSeconds(response.headers.get('Retry-After')),
      }),
    );
  }

  private badResponse(): PaneError {
    return new PaneError('bad_response', paneMessages.badResponse(this.endpoint));
  }
}

/** Answers a retry may get past: rate limited, or a gateway that could not reach the connector. */
const GATEWAY_STATUS = new Set([502, 503, 504]);

/** A failure `get` may try again, with the `Retry-After` that came with it. */
class Answer {
  constructor(
    readonly error: PaneError,
    readonly retryAfter: string | null,
  ) {}
}

function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

export { retryAfterSeconds } from './retry';
