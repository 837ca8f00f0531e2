import { rm } from 'node:fs/promises';
import { api, type Answer, type Pair } from './connector-http';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from './connector-process';
import { createTestDatabase, type TestDatabase } from './postgres';

/** Several `sheetgate serve --database-url` processes on one fresh database, and its first admin. */
export interface ConnectorCluster {
  readonly db: TestDatabase;
  readonly instances: RunningConnector[];
  readonly urls: string[];
  /** The system admin `bootstrap-admin` made on the database. */
  readonly admin: Pair;
  /** Stops every instance still running (a killed one resolves at once) and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts `count` instances at once on a new database (so their schema creation races, as a rolling
 * deploy's would), then makes one admin with the CLI against the database while they serve.
 */
export async function startCluster(count: number, env: NodeJS.ProcessEnv = TEST_ENV): Promise<ConnectorCluster> {
  const db = await createTestDatabase();
  const instances: RunningConnector[] = [];
  // startConnector always passes --data; with a database URL the directory stays unused, and goes.
  const dirs: string[] = [];
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await db.drop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    const started = await Promise.allSettled(
      Array.from({ length: count }, async () => {
        const dir = await tempDataDir();
        dirs.push(dir);
        return startConnector(dir, ['--database-url', db.url], env);
      }),
    );
    for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const made = await runCli(['bootstrap-admin', '--database-url', db.url, '--username', 'root', '--email', 'root@example.com', '--json'], env);
    if (made.code !== 0) throw new Error(`bootstrap-admin exited ${made.code}: ${made.stderr}`);
    return { db, instances, urls: instances.map((instance) => instance.url), admin: JSON.parse(made.stdout) as Pair, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every username the store holds, read through one instance, page by page. */
export async function allUsernames(url: string, admin: Pair): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Answer = await api(url, 'GET', `/admin/users?limit=1000${query}`, { pair: admin });
    if (page.status !== 200) throw new Error(`listing users answered ${page.status}: ${JSON.stringify(page.body)}`);
    for (const user of page.body.users as Array<{ username: string }>) names.add(user.username);
    cursor = page.body.nextCursor;
  } while (cursor);
  return names;
}

/** An API user with `grants`, authorized: its id and first credential (with the credential's id). */
export async function apiUser(url: string, admin: Pair, username: string, grants: Record<string, string> = { customers: 'basic' }) {
  const user = await api(url, 'POST', '/admin/users', { pair: admin, body: { username, email: `${username}@example.com`, kind: 'api' } });
  if (user.status !== 201) throw new Error(`creating ${username} answered ${user.status}: ${JSON.stringify(user.body)}`);
  const granted = await api(url, 'PUT', `/admin/users/${user.body.id}/grants`, { pair: admin, body: grants });
  if (granted.status !== 200) throw new Error(`granting ${username} answered ${granted.status}`);
  const access = await api(url, 'PUT', `/admin/users/${user.body.id}/api-access`, { pair: admin, body: { authorized: true } });
  if (access.status >= 300) throw new Error(`authorizing ${username} answered ${access.status}`);
  return { id: user.body.id as string, credential: access.body.credential as Pair & { id: string } };
}

/** Resolves once `ready()` holds, checking every few milliseconds; fails after `timeoutMs`. */
export async function waitFor(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
