import { resolve } from 'node:path';

/** The repository root: a file path under it in a response or log line is a leak. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

const STACK_FRAME = /\bat\s+(?:async\s+)?[\w.$<>]+\s+\(|\.(?:ts|js|mjs|cjs):\d+(?::\d+)?/;

/**
 * What is wrong with an error response body, measured against the contract: exactly
 * `{"error": {"code", "message"}}`, both non-empty strings, and no stack frame, no file path of
 * the server (the repository, `extraPaths` such as the data directory, node_modules) and no key.
 * Returns `[]` when the body is right.
 */
export function errorShapeProblems(text: string, extraPaths: readonly string[] = []): string[] {
  const problems: string[] = [];
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [`error body is not JSON: ${JSON.stringify(text.slice(0, 80))}`];
  }
  const error = (body as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown } | undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).join() !== 'error') {
    problems.push(`error body keys are not exactly ["error"]: ${text.slice(0, 80)}`);
  } else if (typeof error !== 'object' || error === null || Object.keys(error).sort().join() !== 'code,message') {
    problems.push(`error object keys are not exactly [code, message]: ${text.slice(0, 80)}`);
  } else if (typeof error.code !== 'string' || !/^[a-z_]+$/.test(error.code) || typeof error.message !== 'string' || !/\S/.test(error.message)) {
    problems.push(`error code or message is not a non-empty string: ${text.slice(0, 80)}`);
  }
  problems.push(...leakProblems(text, extraPaths));
  return problems;
}

/** Stack frames, server file paths and keys in any text that leaves the server. */
export function leakProblems(text: string, extraPaths: readonly string[] = []): string[] {
  const problems: string[] = [];
  if (STACK_FRAME.test(text)) problems.push(`stack frame in ${JSON.stringify(text.slice(0, 120))}`);
  for (const path of [REPO_ROOT, ...extraPaths, 'node_modules']) {
    if (path && text.includes(path)) problems.push(`server path ${path} in ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (/sgk_[0-9A-Za-z]{20,}/.test(text)) problems.push('a key in the text');
  return problems;
}
