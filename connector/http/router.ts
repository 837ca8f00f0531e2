import { OpenAPIHono, z } from '@hono/zod-openapi';
import { ERROR_STATUS, type ErrorCode } from '../contract';
import type { AppEnv } from './app-env';
import { validationHook } from './errors';

/** Every route group is one of these, so validation failures all read the same way. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ description: 'One of the contract\'s codes; each belongs to one HTTP status.' }),
      message: z.string().openapi({ description: 'One sentence for a person; never a key.' }),
    }),
  })
  .openapi('Error');

const NO_STORE_HEADER = {
  'Cache-Control': {
    description: 'Data, secrets and refusals are never kept by browsers or proxies.',
    required: true,
    schema: { type: 'string' as const, enum: ['no-store'] },
  },
};

const RETRY_AFTER_HEADER = {
  'Retry-After': {
    description: 'Seconds until the credential may call again.',
    required: true,
    schema: { type: 'integer' as const, minimum: 1 },
  },
};

const STATUS_MEANING: Record<number, string> = {
  400: 'Bad input',
  401: 'Missing, invalid, revoked or expired credentials',
  403: 'Refused',
  404: 'No such resource',
  409: 'Conflict with the current state',
  413: 'Body over the limit',
  429: 'Rate limited',
  500: 'A fault of the connector',
  503: 'Not ready: the store does not answer',
};

/** The codes the contract gives `status`, as the description of that response names them. */
function codesOf(status: number): string {
  return Object.entries(ERROR_STATUS)
    .filter(([, codeStatus]) => codeStatus === status)
    .map(([code]) => `\`${code}\``)
    .join(', ');
}

/** Error responses a route can give, for the OpenAPI document; every error is sent `no-store`. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: `${STATUS_MEANING[status] ?? 'Error'} (${codesOf(status)})`,
        headers: status === 429 ? { ...NO_STORE_HEADER, ...RETRY_AFTER_HEADER } : NO_STORE_HEADER,
        content: { 'application/json': { schema: ErrorSchema } },
      },
    ]),
  );
}

/**
 * The errors of a route behind the /v1 and /admin guards, which any such request can meet:
 * credentials in the query or bad JSON (400), authentication (401), refusals (403), a body over
 * the limit (413), the rate limit (429), a fault (500); plus the route's own (404, 409).
 */
export function guardedErrors(...own: Array<404 | 409>) {
  return errorResponses(400, 401, 403, ...own, 413, 429, 500);
}

/** A JSON answer of a guarded route (sent `no-store`, as everything under /v1 and /admin). */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  headers: NO_STORE_HEADER,
  content: { 'application/json': { schema } },
});

/** A bodyless answer of a guarded route. */
export const noContent = (description: string) => ({ description, headers: NO_STORE_HEADER });

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

type SecurityRequirement = Record<string, string[]>;
export const SECURED: SecurityRequirement[] = [{ ApiToken: [], ApiKey: [] }];
export const ADMIN_SECURED: SecurityRequirement[] = [{ ApiToken: [], ApiKey: [] }, { AdminKey: [] }];
/** Routes anyone may call (health, the API reference itself). */
export const PUBLIC: SecurityRequirement[] = [];
