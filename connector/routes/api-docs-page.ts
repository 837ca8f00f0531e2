import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import type { ErrorBody } from '../contract';
import { strictPageHeaders } from '../http/page-headers';
import { segmentsAfter, sendFile } from '../http/static-files';
import { packageRoot } from '../package-root';

/**
 * `/docs` is Swagger UI, served from the `swagger-ui-dist` package (no CDN: it also works on a
 * connector inside a closed network). Its page may hold a pasted key while "Try it out" is used,
 * so it gets the console's policy: scripts, styles and requests from this origin only, no inline
 * script (the start-up code is its own file). `data:` images are the stylesheet's built-in icons.
 */
const SECURITY_HEADERS = strictPageHeaders(['data:']);

/** The files of `swagger-ui-dist` the page loads (the bundle includes the API preset); nothing else of it is served. */
const SWAGGER_FILES: ReadonlySet<string> = new Set(['swagger-ui.css', 'swagger-ui.css.map', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sheetgate API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<noscript>The API reference needs JavaScript. The document itself is at <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</noscript>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// No validator badge (it would send the document to validator.swagger.io) and no authorization
// kept across reloads: a pasted key lives only as long as the page.
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: false,
    displayOperationId: true,
    defaultModelsExpandDepth: 0,
  });
});
`;

/** `GET /docs` and the files it loads. Mount at the root. */
export function apiDocsPage(root = packageRoot()): Hono {
  const folder = join(root, 'node_modules', 'swagger-ui-dist');
  const app = new Hono();
  app.get('/docs', (c) => c.html(PAGE, 200, { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' }));
  // One wildcard, not a route per file: these are static files, not API routes.
  app.get('/docs/*', async (c) => {
    const segments = segmentsAfter(c, '/docs/');
    const name = segments?.length === 1 ? (segments[0] ?? '') : '';
    if (name === 'init.js') {
      return c.body(INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    }
    const known = SWAGGER_FILES.has(name);
    return (await sendFile(c, folder, known ? [name] : null, 'public, max-age=86400')) ?? notFound(c, known);
  });
  return app;
}

function notFound(c: Context, known: boolean): Response {
  const message = known ? 'Swagger UI is not installed: run `npm install`, then reload.' : 'No such API reference file.';
  const body: ErrorBody = { error: { code: 'not_found', message } };
  return c.json(body, 404);
}
