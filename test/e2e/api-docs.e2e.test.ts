import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type Listening } from '../../connector/server';
import { createTestContext, type TestContext } from '../helpers/harness';
import { CHROMIUM, NO_BROWSER } from './browser-session';

/**
 * /docs in a real browser under its own Content-Security-Policy: Swagger UI must render the
 * document with every request to this origin and not one CSP violation (an inline script, an
 * eval or a remote font would show up here, and only here).
 */
describe.skipIf(NO_BROWSER)('the API reference page in Chromium', () => {
  let ctx: TestContext;
  let server: Listening;
  let browser: Browser;

  beforeAll(async () => {
    ctx = await createTestContext();
    server = await listen(ctx.app, { port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await ctx?.close();
  });

  it('renders every operation of /openapi.json, loading only same-origin files, with no CSP violation', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('console', (message) => {
      if (message.text().startsWith('Failed to load resource')) return; // reported with its URL above
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });

    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock');
    const operations = await page.locator('.opblock').count();
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented = Object.values(doc.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
    expect(operations).toBe(documented);

    // An operation opens with its parameters and responses readable.
    await page.locator('#operations-Data-readTablePage .opblock-summary').click();
    await page.waitForSelector('#operations-Data-readTablePage .parameters');
    expect(await page.locator('#operations-Data-readTablePage .parameters').innerText()).toContain('limit');

    expect(problems).toEqual([]);
    const origin = new URL(server.url).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
  });
});
