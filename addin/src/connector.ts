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
import { checkPaste, type PastedCredentials } from './paste';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

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

/** A typed client of the connector's v1 contract. Every failure is a PaneError with plain words. */
export class ConnectorClient {
  private constructor(
    private readonly base: URL,
    private readonly headers: Record<string, string>,
    private readonly fetchFn: FetchLike,
  ) {}

  /** Checks the paste first: a bad paste throws `bad_paste` and sends nothing. */
  static create(pasted: PastedCredentials, fetchFn: FetchLike = (input, init) => fetch(input, init)): ConnectorClient {
    const problem = checkPaste(pasted);
    if (problem) throw new PaneError('bad_paste', problem);
    const base = new URL(pasted.url.trim());
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return new ConnectorClient(base, { [TOKEN_HEADER]: pasted.token, [KEY_HEADER]: pasted.key }, fetchFn);
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

  /** Every page of a table, following `nextCursor` to the end; stops as soon as `signal` aborts. */
  async *pages(table: string, format: DataFormat, options: PageOptions = {}): AsyncGenerator<TablePage> {
    let cursor: string | null = null;
    do {
      if (options.signal?.aborted) throw new PaneError('cancelled', paneMessages.cancelled);
      const page: TablePage = await this.page(table, format, cursor, options);
      yield page;
      cursor = page.nextCursor;
    } while (cursor);
  }

  private async highestFormat(table: string, signal?: AbortSignal): Promise<DataFormat | null> {
    try {
      return (await this.tables(signal)).find((t) => t.id === table)?.maxFormat ?? null;
    } catch {
      return null;
    }
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, this.base).href;
    let response: Response;
    let body: unknown;
    try {
      response = await this.fetchFn(url, { method: 'GET', headers: { Accept: 'application/json', ...this.headers }, signal, credentials: 'omit' });
      body = await response.json().catch((error: unknown) => {
        if (signal?.aborted) throw error;
        return undefined;
      });
    } catch {
      if (signal?.aborted) throw new PaneError('cancelled', paneMessages.cancelled);
      throw new PaneError('unreachable', paneMessages.unreachable(this.endpoint));
    }
    if (!response.ok) throw this.failure(response, body);
    if (body === undefined) throw this.badResponse();
    return body as T;
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

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / 1000));
}
