import { readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import type { Context } from 'hono';

// Built browser files (the task pane, the admin console) served from a folder of dist/.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.gif': 'image/gif',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file at `segments` under `base`, or null when there is none (the caller answers 404). */
export async function sendFile(
  c: Context,
  base: string,
  segments: string[] | null,
  cacheControl: string,
  headers: Record<string, string> = {},
): Promise<Response | null> {
  const type = segments && CONTENT_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!segments || !type) return null;
  const path = join(base, ...segments);
  // Belt and braces: segments are already free of `..`, but a file must still resolve inside base.
  if (!path.startsWith(base + sep)) return null;
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return null;
  const body = await readFile(path);
  return c.body(new Uint8Array(body), 200, {
    'Content-Type': type,
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
}

/** The decoded path segments after `prefix`, or null when any of them could escape the folder. */
export function segmentsAfter(c: Context, prefix: string): string[] | null {
  const raw = new URL(c.req.url).pathname;
  if (!raw.startsWith(prefix)) return null;
  const segments: string[] = [];
  for (const encoded of raw.slice(prefix.length).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[\\/\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}
