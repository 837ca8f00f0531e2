import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { validationHook } from './errors';

/** Every route group is one of these, so validation failures all read the same way. */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

/** Error responses a route can give, for the OpenAPI document. */
export function errorResponses(...statuses: number[]) {
  const described: Record<number, string> = {
    400: 'Bad input (`invalid_request`, `credentials_in_query`)',
    401: 'Missing, invalid, revoked or expired credentials',
    403: 'Refused: inactive user, IP not allowed, HTTPS required, forbidden, no access or tier not granted',
    404: 'No such resource (`not_found`)',
    409: 'Conflict with the current state (`conflict`)',
    413: 'Body too large (`payload_too_large`)',
    429: 'Rate limited (`rate_limited`, with `Retry-After`)',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: described[status] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  );
}

type SecurityRequirement = Record<string, string[]>;
export const SECURED: SecurityRequirement[] = [{ ApiToken: [], ApiKey: [] }];
export const ADMIN_SECURED: SecurityRequirement[] = [{ ApiToken: [], ApiKey: [] }, { AdminKey: [] }];
