import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../connector/package-root';
import { addinFiles } from '../../connector/routes/addin-files';

// The global setup has built dist/addin.
const app = addinFiles();

describe('addinFiles', () => {
  it.each([
    ['/taskpane.html', 'text/html; charset=utf-8'],
    ['/taskpane.js', 'text/javascript; charset=utf-8'],
    ['/help.html', 'text/html; charset=utf-8'],
    ['/assets/icon-32.png', 'image/png'],
    ['/assets/taskpane.css', 'text/css; charset=utf-8'],
    ['/office-js/office.js', 'text/javascript; charset=utf-8'],
    ['/office-js/en-us/office_strings.js', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const response = await app.request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('the pane loads its script, styles and office.js by relative paths that are served', async () => {
    const html = await (await app.request('/taskpane.html')).text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['office-js/office.js', 'taskpane.js', 'assets/taskpane.css']));
    for (const ref of refs) expect((await app.request(`/${ref}`)).status, ref).toBe(200);
  });

  it.each([
    '/assets/nope.png',
    '/assets/',
    '/office-js/missing.js',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/office-js/..%2f..%2f..%2fpackage.json',
    '/office-js/..%5c..%5cpackage.json',
    '/assets/icon-32.png%00.js',
    '/assets/%E0%A4%A',
    '/office-js/../../../package.json',
  ])('refuses %s with the contract’s 404', async (path) => {
    const response = await app.request(path);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('serves only files of known types', async () => {
    const response = await app.request('/office-js/office.d.ts');
    expect(response.status).toBe(404);
  });

  it('says to build when dist/addin is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sheetgate-nobuild-'));
    const body = await (await addinFiles(empty).request('/taskpane.html')).json();
    expect(body.error.message).toMatch(/npm run build/);
  });
});

describe('packageRoot', () => {
  it('walks up to the sheetgate package.json, from any depth', () => {
    const root = mkdtempSync(join(tmpdir(), 'sheetgate-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'sheetgate' }));
    mkdirSync(join(root, 'dist', 'connector'), { recursive: true });
    mkdirSync(join(root, 'node_modules', 'other'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'other', 'package.json'), JSON.stringify({ name: 'other' }));
    expect(packageRoot(join(root, 'dist', 'connector'))).toBe(root);
    expect(packageRoot(join(root, 'node_modules', 'other'))).toBe(root);
    expect(packageRoot()).toBe(join(import.meta.dirname, '..', '..'));
  });
});
