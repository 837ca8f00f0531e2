import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { runCli, startConnector, tempDataDir, type RunningConnector } from '../helpers/connector-process';

/** What the browser tests share: a real connector process with a bootstrap admin, and headless Chromium. */
export const CHROMIUM = '/usr/bin/chromium';
// Skipped only off CI (no Debian chromium on this machine): .ci/run installs it, so CI always runs them.
export const NO_BROWSER = !process.env.CI && !existsSync(CHROMIUM);

export interface BrowserSession {
  connector: RunningConnector;
  browser: Browser;
  /** An admin route call with the bootstrap admin's pair; throws on a non-2xx answer. */
  adminCall(method: string, path: string, body?: unknown): Promise<any>;
  /** A new API user of Northwind with these grants, authorized: its token and key. */
  analyst(username: string, grants: Record<string, string>): Promise<{ userId: string; token: string; key: string }>;
  /** A fresh page on the pane, in preview mode, with the pair pasted and connected. */
  connectedPane(pair: { token: string; key: string }, init?: () => void): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserSession(): Promise<BrowserSession> {
  const dataDir = await tempDataDir();
  const bootstrap = await runCli(['bootstrap-admin', '--data', dataDir, '--username', 'admin', '--email', 'admin@example.com', '--json']);
  expect(bootstrap.code, bootstrap.stderr).toBe(0);
  const pair = JSON.parse(bootstrap.stdout) as { token: string; key: string };
  const admin = { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key };
  const connector = await startConnector(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

  async function adminCall(method: string, path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${connector.url}${path}`, {
      method,
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  return {
    connector,
    browser,
    adminCall,
    async analyst(username, grants) {
      const user = await adminCall('POST', '/admin/users', {
        username,
        email: `${username}@northwind.example`,
        name: 'Eve',
        surname: 'Analyst',
        kind: 'api',
        organizations: ['org-northwind'],
      });
      const userId = (user.user ?? user).id as string;
      await adminCall('PUT', `/admin/users/${userId}/grants`, grants);
      const access = await adminCall('PUT', `/admin/users/${userId}/api-access`, { authorized: true });
      return { userId, ...(access.credential as { token: string; key: string }) };
    },
    async connectedPane(credentials, init) {
      const page = await browser.newPage();
      if (init) await page.addInitScript(init);
      await page.goto(`${connector.url}/taskpane.html`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.getByLabel('API token').fill(credentials.token);
      await page.getByLabel('API key').fill(credentials.key);
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByText('Signed in as').waitFor();
      return page;
    },
    async close() {
      await browser.close();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
