import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ErrorBody } from '../contract';
import { packageRoot } from '../package-root';

/** Root-level files of the built pane; everything else it needs lives under assets/. */
const PANE_FILES = ['taskpane.html', 'taskpane.js', 'taskpane.js.map', 'help.html', 'functions.json'] as const;

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

/**
 * Serves the built task pane (`dist/addin`) and a self-hosted office.js (from `@microsoft/office-js`),
 * so `npm start` is all a user runs before sideloading the manifest. Mount at the root.
 */
export function addinFiles(root = packageRoot()): Hono {
  const pane = join(root, 'dist', 'addin');
  const officeJs = join(root, 'node_modules', '@microsoft', 'office-js', 'dist');
  const app = new Hono();

  for (const file of PANE_FILES) {
    app.get(`/${file}`, (c) => send(c, pane, [file], 'no-cache'));
  }
  app.get('/assets/*', (c) => send(c, join(pane, 'assets'), segmentsAfter(c, '/assets/'), 'no-cache'));
  // office.js loads its host-specific scripts relative to its own URL, so the whole folder is served.
  app.get('/office-js/*', (c) => send(c, officeJs, segmentsAfter(c, '/office-js/'), 'public, max-age=86400'));
  // Used when this app runs on its own; mounted with app.route(), the connector's handler answers.
  app.notFound((c) => notFound(c, pane));
  return app;
}

async function send(c: Context, base: string, segments: string[] | null, cacheControl: string): Promise<Response> {
  const type = segments && CONTENT_TYPES[extname(segments[segments.length - 1] ?? '').toLowerCase()];
  if (!segments || !type) return notFound(c, base);
  const path = join(base, ...segments);
  // Belt and braces: segments are already free of `..`, but a file must still resolve inside base.
  if (!path.startsWith(base + sep)) return notFound(c, base);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return notFound(c, base);
  const body = await readFile(path);
  return c.body(new Uint8Array(body), 200, {
    'Content-Type': type,
    'Cache-Control': cacheControl,
    'X-Content-Type-Options': 'nosniff',
  });
}

/** The decoded path segments after `prefix`, or null when any of them could escape the folder. */
function segmentsAfter(c: Context, prefix: string): string[] | null {
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

function notFound(c: Context, base: string): Response {
  const message = existsSync(base)
    ? 'No such add-in file.'
    : 'The add-in files are not built yet: run `npm run build`, then reload.';
  const body: ErrorBody = { error: { code: 'not_found', message } };
  return c.json(body, 404);
}
