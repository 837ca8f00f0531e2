import type { ZodError, ZodType } from 'zod';
import { invalidRequest } from '../errors';

/**
 * Parses input with its schema, or refuses it as the contract's `400 invalid_request` naming the
 * field: the services validate, so the CLI refuses exactly what the routes refuse.
 */
export function parseInput<T extends ZodType>(schema: T, input: unknown): ReturnType<T['parse']> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidRequest(describeZodError(result.error));
  return result.data as ReturnType<T['parse']>;
}

export function describeZodError(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    return `Unknown field "${issue.keys.join('", "')}"${path ? ` in "${path}"` : ''}.`;
  }
  return path ? `Field "${path}": ${issue.message}.` : `${issue.message}.`;
}
