import { describeZodError } from '../domain/validate';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { ApiError } from '../errors';
import { recordAudit } from '../audit';
import type { Services } from '../deps';
import type { AppEnv } from './app-env';
import { redactKeys, redactPaths } from './redact';

/** Refusals worth an audit line: who was turned away, from where, and why. */
const AUDITED_STATUSES = new Set([400, 401, 403, 429]);

/**
 * The one place an error becomes the contract's JSON body. Messages may quote the caller's input
 * (a table name, a field, an id); a key pasted there is redacted, so no response ever carries one.
 */
export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  c.header('Cache-Control', 'no-store');
  const body = error.toBody();
  body.error.message = redactKeys(body.error.message);
  return c.json(body, error.status);
}

export function onError(services: Services): ErrorHandler<AppEnv> {
  const { log } = services;
  return (error, c) => {
    if (error instanceof ApiError) {
      if (AUDITED_STATUSES.has(error.status) && error.code !== 'invalid_request') {
        recordAudit(services.store.audit, {
          principal: c.get('principal') ?? c.get('tokenOwner') ?? null,
          action: `refused ${c.req.method} ${c.req.routePath}`,
          target: auditedTarget(new URL(c.req.url).pathname),
          ip: c.get('clientIp') ?? null,
          outcome: error.code,
          at: services.now(),
        });
      }
      return errorResponse(c, error);
    }
    if (error instanceof HTTPException && error.status < 500) {
      // Hono's validators throw these for a body that is not JSON.
      const code = error.status === 413 ? 'payload_too_large' : 'invalid_request';
      const message =
        error.status === 413
          ? 'The request body is too large.'
          : /^application\/json\b/i.test(c.req.header('content-type') ?? '')
            ? 'The request body is not valid JSON.'
            : 'Send the request body as JSON, with the header Content-Type: application/json.';
      return errorResponse(c, new ApiError(code, message));
    }
    if (isClientAbort(error)) {
      // The client went away mid-body: its doing, not a fault of ours, and no one reads this answer.
      log.info('request_aborted', { requestId: c.get('requestId') });
      return errorResponse(c, new ApiError('invalid_request', 'The request body was cut short.'));
    }
    // Log the class and message only: a stack or request body could carry paths or secrets.
    log.error('unhandled_error', { requestId: c.get('requestId'), name: error.name, message: redactKeys(redactPaths(error.message)) });
    return errorResponse(c, new ApiError('internal_error', 'Something went wrong on the connector; try again, and tell your administrator if it persists.'));
  };
}

/** Longest refused path the audit keeps: anonymous callers choose it, and each line costs audit space. */
const MAX_AUDITED_TARGET = 200;

/**
 * A refused request's path for its audit line: keys redacted, then cut to a bounded length, so
 * that long junk URLs cannot rotate the admin actions out of the size-capped audit log quickly.
 */
function auditedTarget(path: string): string {
  const redacted = redactKeys(path);
  return redacted.length > MAX_AUDITED_TARGET ? `${redacted.slice(0, MAX_AUDITED_TARGET)}…` : redacted;
}

/** Node fails the body stream with `aborted` (ECONNRESET) when the client closes before its end. */
function isClientAbort(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ECONNRESET' && error.message === 'aborted';
}

/** zod-openapi's hook: the first problem becomes `invalid_request`, naming the field. */
export function validationHook(
  result: { success: true; data: unknown } | { success: false; error: ZodError },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  return errorResponse(c, invalidInput(result.error));
}

/** A request that fails its route's schema (query, parameters, body). */
export function invalidInput(error: ZodError): ApiError {
  return new ApiError('invalid_request', describeZodError(error));
}

/** The answer for a path no route serves (under any method). */
export function noSuchRoute(method: string, path: string): ApiError {
  return new ApiError('not_found', `No route ${method} ${redactKeys(path)}; see /docs for the API.`);
}

export const notFoundHandler: NotFoundHandler = (c) => errorResponse(c, noSuchRoute(c.req.method, new URL(c.req.url).pathname));
