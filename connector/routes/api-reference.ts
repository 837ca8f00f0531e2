import type { OpenAPIHono } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import { ADMIN_KEY_HEADER, KEY_HEADER, TOKEN_HEADER } from '../contract';
import type { AppEnv } from '../http/app-env';

const DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Sheetgate connector',
    version: '1',
    description:
      'Permissioned company data for Excel. Every /v1 and /admin request carries X-Api-Token and X-Api-Key ' +
      '(admin routes also accept the operator\'s X-Admin-Key). Errors are {"error":{"code","message"}}.',
  },
};

type Operation = { summary?: string; tags?: string[]; parameters?: Array<{ name: string; in: string }>; responses?: Record<string, { description?: string }> };

/**
 * `/openapi.json`, generated from the routes' own zod schemas, and `/docs`, a plain HTML reading
 * of it. Self-contained (no CDN), so it also works on a connector inside a closed network.
 */
export function mountApiReference(app: OpenAPIHono<AppEnv>): void {
  const schemes = { ApiToken: TOKEN_HEADER, ApiKey: KEY_HEADER, AdminKey: ADMIN_KEY_HEADER };
  for (const [name, header] of Object.entries(schemes)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, { type: 'apiKey', in: 'header', name: header });
  }
  app.doc31('/openapi.json', DOCUMENT);
  app.get('/docs', (c) => {
    const spec = app.getOpenAPI31Document(DOCUMENT);
    const rows = Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).map(([method, op]) => ({ path, method, op })),
    );
    const groups = new Map<string, typeof rows>();
    for (const row of rows) {
      const tag = row.op.tags?.[0] ?? 'Other';
      groups.set(tag, [...(groups.get(tag) ?? []), row]);
    }
    return c.html(html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sheetgate API reference</title>
<style>
body{font:14px/1.5 "Segoe UI",system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#242424}
h1{font-weight:600}h2{margin-top:2rem;border-bottom:1px solid #e0e0e0}
table{border-collapse:collapse;width:100%}td{padding:.35rem .5rem;border-bottom:1px solid #f0f0f0;vertical-align:top}
code{font-family:Consolas,monospace}.m{font-weight:600;text-transform:uppercase;width:5rem}.r{color:#616161;font-size:12px}
</style></head><body>
<h1>Sheetgate API reference</h1><p>${spec.info.description}</p>
<p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1).</p>
${raw(
  [...groups]
    .map(
      ([tag, ops]) =>
        html`<h2>${tag}</h2><table>${raw(
          ops
            .map(
              ({ path, method, op }) =>
                html`<tr><td class="m">${method}</td><td><code>${path}</code><br>${op.summary ?? ''}<div class="r">${Object.entries(op.responses ?? {})
                  .map(([status, response]) => `${status} ${response.description ?? ''}`)
                  .join(' · ')}</div></td></tr>`,
            )
            .join(''),
        )}</table>`,
    )
    .join(''),
)}
</body></html>`);
  });
}
