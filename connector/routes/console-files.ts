import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ErrorBody } from '../contract';
import { strictPageHeaders } from '../http/page-headers';
import { segmentsAfter, sendFile } from '../http/static-files';
import { packageRoot } from '../package-root';

/**
 * The admin console holds admin credentials, so its page gets the strictest policy that still runs
 * it: scripts, styles and requests only from this origin, no inline code, no framing, no forms
 * posted anywhere else.
 */
const SECURITY_HEADERS = strictPageHeaders();

/** Serves the built console (`dist/console`) at `GET /console`. Mount at the root. */
export function consoleFiles(root = packageRoot()): Hono {
  const folder = join(root, 'dist', 'console');
  const app = new Hono();
  const send = async (c: Context, segments: string[] | null) =>
    (await sendFile(c, folder, segments, 'no-cache', SECURITY_HEADERS)) ?? notFound(c, folder);

  app.get('/console', (c) => send(c, ['console.html']));
  for (const file of ['console.js', 'console.js.map']) app.get(`/console/${file}`, (c) => send(c, [file]));
  app.get('/console/assets/*', (c) => send(c, prefixed('assets', segmentsAfter(c, '/console/assets/'))));
  return app;
}

function prefixed(folder: string, segments: string[] | null): string[] | null {
  return segments && [folder, ...segments];
}

function notFound(c: Context, folder: string): Response {
  const message = existsSync(folder) ? 'No such console file.' : 'The console is not built yet: run `npm run build`, then reload.';
  const body: ErrorBody = { error: { code: 'not_found', message } };
  return c.json(body, 404);
}
