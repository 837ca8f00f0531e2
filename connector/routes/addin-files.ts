import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ErrorBody } from '../contract';
import { segmentsAfter, sendFile } from '../http/static-files';
import { packageRoot } from '../package-root';

/** Root-level files of the built pane; everything else it needs lives under assets/. */
const PANE_FILES = ['taskpane.html', 'taskpane.js', 'taskpane.js.map', 'help.html', 'functions.json'] as const;

/**
 * Serves the built task pane (`dist/addin`) and a self-hosted office.js (from `@microsoft/office-js`),
 * so `npm start` is all a user runs before sideloading the manifest. Mount at the root.
 */
export function addinFiles(root = packageRoot()): Hono {
  const pane = join(root, 'dist', 'addin');
  const officeJs = join(root, 'node_modules', '@microsoft', 'office-js', 'dist');
  const app = new Hono();

  for (const file of PANE_FILES) {
    app.get(`/${file}`, async (c) => (await sendFile(c, pane, [file], 'no-cache')) ?? notFound(c, pane));
  }
  app.get('/assets/*', async (c) => (await sendFile(c, join(pane, 'assets'), segmentsAfter(c, '/assets/'), 'no-cache')) ?? notFound(c, pane));
  // office.js loads its host-specific scripts relative to its own URL, so the whole folder is served.
  app.get('/office-js/*', async (c) => (await sendFile(c, officeJs, segmentsAfter(c, '/office-js/'), 'public, max-age=86400')) ?? notFound(c, officeJs));
  // Used when this app runs on its own; mounted with app.route(), the connector's handler answers.
  app.notFound((c) => notFound(c, pane));
  return app;
}

function notFound(c: Context, base: string): Response {
  const message = existsSync(base)
    ? 'No such add-in file.'
    : 'The add-in files are not built yet: run `npm run build`, then reload.';
  const body: ErrorBody = { error: { code: 'not_found', message } };
  return c.json(body, 404);
}
