import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BROWSER, startBrowserSession, type BrowserSession } from './browser-session';

/**
 * The analyst's day, end to end: a real connector process serves the pane; headless Chromium opens
 * it (preview mode, no Excel), pastes a pair, inserts `customers` with all columns and again with a
 * few chosen ones, and after the admin revokes the analyst, Refresh all shows the revoked message
 * while both tables stay.
 */
const REVOKED = 'Your API access was revoked. Ask your administrator to authorize you again.';

describe.skipIf(NO_BROWSER)('task pane in a browser against a real connector', () => {
  let session: BrowserSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await startBrowserSession();
    // As wide as Excel's task pane by default.
    page = await session.browser.newPage({ viewport: { width: 350, height: 800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(() => session?.close());

  it('connects, inserts customers (all columns, then chosen ones), and keeps them when a refresh is refused after revocation', async () => {
    // An analyst of Northwind with detail access to customers, and a fresh API pair.
    const { userId, token, key } = await session.analyst('eve.analyst', { customers: 'detail' });
    const connector = session.connector;
    const adminCall = session.adminCall;

    // What the analyst should see, straight from the API.
    const expected = await (
      await fetch(`${connector.url}/v1/tables/customers?format=detail&limit=10000`, { headers: { 'X-Api-Token': token, 'X-Api-Key': key } })
    ).json();
    expect(expected.rows.length).toBeGreaterThan(0);

    await page.goto(`${connector.url}/taskpane.html`);
    await page.waitForSelector('body[data-ready="true"]');
    await expect.poll(() => page.getByText('Preview mode.').isVisible()).toBe(true);
    expect(await page.getByLabel('Connector URL').inputValue()).toBe(connector.url);
    expect(await page.getByLabel('API key').getAttribute('type')).toBe('password');

    // Pasted as copied from a chat or a mail: with a space before and a line break after.
    await page.getByLabel('API token').fill(` ${token}`);
    await page.getByLabel('API key').fill(`${key} `);
    expect(await page.getByRole('button', { name: 'Connect' }).isEnabled()).toBe(true);
    // Enter in the key field presses Connect.
    await page.getByLabel('API key').press('Enter');
    await page.getByText('Signed in as').waitFor();
    expect(await page.locator('#user-name').textContent()).toContain('Eve');

    // Connected: the connection folds away behind its summary and the Table select has focus.
    await expect.poll(() => page.getByLabel('API token').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('table-select');
    const connection = page.locator('#connection > summary');
    await connection.press('Enter');
    await page.getByLabel('API token').waitFor();
    await connection.press('Enter');
    await expect.poll(() => page.getByLabel('API token').isVisible()).toBe(false);

    // Tables are grouped by their section.
    const table = page.getByRole('combobox', { name: 'Table' });
    expect(await table.locator('optgroup').evaluateAll((groups) => groups.map((g) => (g as HTMLOptGroupElement).label))).toEqual([
      'Customers',
    ]);
    await table.selectOption({ label: 'Customers' });
    expect(await page.getByRole('combobox', { name: 'Format' }).inputValue()).toBe('detail');

    // The column picker offers exactly what the connector sends at this format, all ticked.
    const columns = page.getByRole('group', { name: 'Columns' });
    const boxes = columns.locator('#column-list').getByRole('checkbox');
    await expect.poll(() => boxes.count()).toBe(expected.columns.length);
    expect(await boxes.evaluateAll((list) => list.map((b) => (b as HTMLInputElement).value))).toEqual(
      expected.columns.map((c: { name: string }) => c.name),
    );
    expect(await columns.getByRole('checkbox', { name: 'All columns' }).isChecked()).toBe(true);
    // Keyboard: Table, then Format, then the columns.
    await table.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('format-select');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('all-columns');

    await page.getByRole('button', { name: 'Insert table' }).click();

    const preview = page.getByRole('table', { name: 'Customers', exact: true });
    await preview.waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Inserted Customers');
    // The success message is in view, not only in the DOM; the wide table scrolls inside the pane.
    const inView = await page.getByRole('status').evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    });
    expect(inView).toBe(true);
    const widths = await preview.evaluate((table) => {
      const frame = table.parentElement!;
      return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, frame: frame.clientWidth, table: table.scrollWidth, overflow: getComputedStyle(frame).overflowX };
    });
    expect(widths.table).toBeGreaterThan(widths.frame);
    expect(widths.overflow).toBe('auto');
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    const header = await preview.locator('thead th').allTextContents();
    expect(header.slice(0, 2)).toEqual(['Code', 'Name']);
    expect(header).not.toContain('Delivery Addresses');
    const bodyRows = preview.locator('tbody tr');
    expect(await bodyRows.count()).toBe(expected.rows.length);
    expect(await bodyRows.first().locator('td').first().textContent()).toBe(expected.rows[0].Code);
    // Sub-resources land in linked tables of their own.
    await page.getByRole('table', { name: 'Customers_Delivery_Addresses' }).waitFor();
    expect(await page.getByRole('button', { name: 'Refresh', exact: true }).count()).toBe(1);

    // Again with a few columns only: untick all, tick three, no sub-resource (so no linked tables).
    const tablesBefore = await page.locator('#preview table').count();
    await columns.getByRole('checkbox', { name: 'All columns' }).uncheck();
    for (const name of ['Code', 'Name', 'Sales Rep']) await columns.getByRole('checkbox', { name, exact: true }).check();
    expect(await columns.getByRole('checkbox', { name: 'All columns' }).isChecked()).toBe(false);
    // The choice outlives a change of format, there and back (Sales Rep is not shown at basic).
    const tickedNames = () =>
      boxes.evaluateAll((list) => list.filter((b) => (b as HTMLInputElement).checked).map((b) => (b as HTMLInputElement).value));
    const format = page.getByRole('combobox', { name: 'Format' });
    await format.selectOption('basic');
    await expect.poll(tickedNames).toEqual(['Code', 'Name']);
    expect(await boxes.count()).toBeLessThan(expected.columns.length);
    await format.selectOption('detail');
    await expect.poll(() => boxes.count()).toBe(expected.columns.length);
    expect(await tickedNames()).toEqual(['Code', 'Name', 'Sales Rep']);
    expect(await columns.getByRole('checkbox', { name: 'All columns' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Insert table' }).click();
    const chosen = page.getByRole('table', { name: 'Customers_2', exact: true });
    await chosen.waitFor();
    expect(await chosen.locator('thead th').allTextContents()).toEqual(['Code', 'Name', 'Sales Rep']);
    expect(await chosen.locator('tbody tr').count()).toBe(expected.rows.length);
    expect(await page.locator('#preview table').count()).toBe(tablesBefore + 1);
    expect(await page.getByRole('button', { name: 'Refresh', exact: true }).count()).toBe(2);

    // Refresh pulls the same three columns.
    await page.getByRole('button', { name: 'Refresh', exact: true }).nth(1).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Refreshed Customers');
    expect(await chosen.locator('thead th').allTextContents()).toEqual(['Code', 'Name', 'Sales Rep']);

    await adminCall('PUT', `/admin/users/${userId}/api-access`, { authorized: false });
    await page.getByRole('button', { name: 'Refresh all' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toBe(REVOKED);
    // Not "Connected" any more: the connection fields are back for a new pair.
    expect(await page.locator('#connection-badge').isVisible()).toBe(false);
    expect(await page.getByLabel('API token').isVisible()).toBe(true);
    expect(await bodyRows.count()).toBe(expected.rows.length);
    expect(await bodyRows.first().locator('td').first().textContent()).toBe(expected.rows[0].Code);
    expect(await chosen.locator('thead th').allTextContents()).toEqual(['Code', 'Name', 'Sales Rep']);
    expect(await chosen.locator('tbody tr').count()).toBe(expected.rows.length);
    expect(pageErrors).toEqual([]);
  });
});
