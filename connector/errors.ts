import { ERROR_STATUS, type ErrorBody, type ErrorCode } from './contract';

/**
 * The one error type of the connector. Modules below the routes throw it; `http/error-handler.ts`
 * is the only place that turns it into the contract's JSON body.
 */
export class ApiError extends Error {
  readonly status: (typeof ERROR_STATUS)[ErrorCode];
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
    this.headers = headers;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export const invalidRequest = (message: string) => new ApiError('invalid_request', message);
export const notFound = (message = 'No such resource.') => new ApiError('not_found', message);
export const forbidden = (message = 'You may not do this.') => new ApiError('forbidden', message);
export const conflict = (message: string) => new ApiError('conflict', message);
