import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/harness';
import { declaredRoutes, expectJson } from '../helpers/http';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown>; summary?: string }>>;
}

describe('GET /openapi.json', () => {
  it('describes every route the app serves (taken from app.routes), with its responses', async () => {
    const doc = await expectJson<OpenApiDocument>(await ctx.request('GET', '/openapi.json'), 200);
    expect(doc.openapi).toMatch(/^3\./);
    const routes = declaredRoutes(ctx.app);
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const missing: string[] = [];
    for (const { method, path } of routes) {
      const openApiPath = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = doc.paths[openApiPath]?.[method.toLowerCase()];
      if (!operation?.responses || Object.keys(operation.responses).length === 0 || !operation.summary) {
        missing.push(`${method} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents no route the app does not serve', async () => {
    const doc = await expectJson<OpenApiDocument>(await ctx.request('GET', '/openapi.json'), 200);
    const served = new Set(declaredRoutes(ctx.app).map(({ method, path }) => `${method.toLowerCase()} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`));
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    expect(documented.filter((entry) => !served.has(entry))).toEqual([]);
  });

  it('lists the contract\'s admin and data routes', async () => {
    const doc = await expectJson<OpenApiDocument>(await ctx.request('GET', '/openapi.json'), 200);
    for (const [path, method] of [
      ['/healthz', 'get'],
      ['/v1/me', 'get'],
      ['/v1/tables/{table}', 'get'],
      ['/admin/users', 'post'],
      ['/admin/users/{id}/api-access', 'put'],
      ['/admin/users/{id}/credentials/{cid}/key', 'get'],
      ['/admin/audit', 'get'],
    ]) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});

describe('GET /docs', () => {
  it('is Swagger UI loading only same-origin files, all served, under a self-only CSP', async () => {
    const response = await ctx.request('GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>|<style|\son[a-z]+=/i);
    const assets = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/init.js', '/docs/swagger-ui.css']));
    for (const asset of assets) {
      expect(asset, asset).toMatch(/^\/[^/]/);
      const served = await ctx.request('GET', asset);
      expect(served.status, asset).toBe(200);
    }
    expect(await (await ctx.request('GET', '/docs/init.js')).text()).toContain("url: '/openapi.json'");
  });

  it('serves nothing else of the package', async () => {
    for (const path of ['/docs/index.html', '/docs/package.json', '/docs/..%2Fpackage.json', '/docs/absolute-path.js']) {
      expect((await ctx.request('GET', path)).status, path).toBe(404);
    }
  });
});
