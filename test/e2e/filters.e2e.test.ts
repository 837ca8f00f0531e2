import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerRow } from '../connector/tables/fixtures';
import { NO_BROWSER, startBrowserSession, type BrowserSession } from './browser-session';

/**
 * "Only rows where FIELD is VALUE" and the ticked columns, end to end: the pane (preview mode)
 * inserts customers of one sales rep with two columns, the connector gains rows of that rep and of
 * another, and Refresh brings in only the new row of that rep, with the same two columns.
 */
describe.skipIf(NO_BROWSER)('pane filters and fields against a real connector', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await startBrowserSession();
  });
  afterAll(() => session?.close());

  it('inserts with a filter and chosen columns, and refresh keeps both', async () => {
    const analyst = await session.analyst('gus.filters', { customers: 'standard' });
    const visible = (
      await (
        await fetch(`${session.connector.url}/v1/tables/customers?format=standard&limit=10000`, {
          headers: { 'X-Api-Token': analyst.token, 'X-Api-Key': analyst.key },
        })
      ).json()
    ).rows as Array<Record<string, string>>;
    const rep = visible[0]!['Sales Rep']!;
    const code = rep.split(' - ')[0]!;
    const matching = visible.filter((row) => row['Sales Rep'] === rep);
    expect(matching.length).toBeLessThan(visible.length);

    const page = await session.connectedPane(analyst);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.getByRole('combobox', { name: 'Table' }).selectOption({ label: 'Customers' });
    expect(await page.getByRole('combobox', { name: 'Format' }).inputValue()).toBe('standard');

    // The filter offers the scalar columns of the format; the value box waits for a field.
    const field = page.getByRole('combobox', { name: 'Only rows where' });
    await expect.poll(() => field.locator('option').allTextContents()).toEqual(['any row', ...Object.keys(visible[0]!)]);
    const value = page.getByRole('textbox', { name: 'is', exact: true });
    expect(await value.isDisabled()).toBe(true);
    await field.selectOption('Sales Rep');
    expect(await value.isDisabled()).toBe(false);
    // A field without a value is not sent as a filter for empty text: the pane asks for the value.
    await page.getByRole('button', { name: 'Insert table' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Type the value that Sales Rep must have');
    expect(await page.locator('#preview table').count()).toBe(0);
    await value.fill(code);

    const columns = page.getByRole('group', { name: 'Columns' });
    await columns.getByRole('checkbox', { name: 'All columns' }).uncheck();
    for (const name of ['Name', 'Sales Rep']) await columns.getByRole('checkbox', { name, exact: true }).check();
    await page.getByRole('button', { name: 'Insert table' }).click();

    const table = page.getByRole('table', { name: 'Customers', exact: true });
    await table.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['Name', 'Sales Rep']);
    const body = table.locator('tbody tr');
    expect(await body.count()).toBe(matching.length);
    expect(new Set(await table.locator('tbody td:nth-child(2)').allTextContents())).toEqual(new Set([rep]));
    await expect.poll(() => page.locator('#bound-list').textContent()).toContain(`only Sales Rep = ${code}`);

    const other = visible.find((row) => row['Sales Rep'] !== rep)!['Sales Rep'];
    await session.adminCall('POST', '/admin/tables/customers/rows', {
      rows: [
        customerRow('ZZ-NEW-1', { Name: 'Filtered In', 'Sales Rep': rep, organization: 'org-northwind' }),
        customerRow('ZZ-NEW-2', { Name: 'Filtered Out', 'Sales Rep': other, organization: 'org-northwind' }),
      ],
    });
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Refreshed Customers');
    expect(await table.locator('thead th').allTextContents()).toEqual(['Name', 'Sales Rep']);
    expect(await body.count()).toBe(matching.length + 1);
    const names = await table.locator('tbody td:nth-child(1)').allTextContents();
    expect(names).toContain('Filtered In');
    expect(names).not.toContain('Filtered Out');
    expect(new Set(await table.locator('tbody td:nth-child(2)').allTextContents())).toEqual(new Set([rep]));
    expect(pageErrors).toEqual([]);
  });
});
