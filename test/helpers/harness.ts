import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type ConnectorApp } from '../../connector/app';
import type { ConnectorConfig } from '../../connector/config';
import { KEY_HEADER, TOKEN_HEADER, type Format, type Role, type UserKind } from '../../connector/contract';
import { authorize } from '../../connector/credentials/lifecycle';
import { jsonLogger, silentLogger, type Logger } from '../../connector/logger';
import { createUser as createStoredUser, setGrants, setSettings } from '../../connector/security/users';
import { createOrganization, createTeam } from '../../connector/security/organizations';
import { openServices, type OpenedServices } from '../../connector/services';
import type { Organization, Team, User, UserSettings } from '../../connector/store/types';
import { createTestDatabase } from './postgres';
import { testStoreIsPostgres } from './store-choice';
import { CLI_ACTOR } from '../../connector/security/actor';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface TestUserOptions {
  username?: string;
  kind?: UserKind;
  roles?: Role[];
  organizations?: string[];
  teams?: string[];
  allowedIps?: string[];
  grants?: Record<string, Format>;
  settings?: Partial<UserSettings>;
  /** Turn API access on and return a pair (default true). */
  authorized?: boolean;
}

export interface TestUser {
  user: User;
  token: string;
  key: string;
  credentialId: string;
  headers: Record<string, string>;
}

export interface TestContext {
  app: ConnectorApp;
  services: OpenedServices;
  dataDir: string;
  createUser(options?: TestUserOptions): Promise<TestUser>;
  createOrganization(name: string, kind: 'provider' | 'client', parent?: string): Promise<Organization>;
  createTeam(name: string): Promise<Team>;
  /** `app.request` with JSON body and headers in one call. */
  request(method: string, path: string, options?: { headers?: Record<string, string>; body?: unknown; ip?: string }): Promise<Response>;
  close(): Promise<void>;
}

let counter = 0;

/** A logger that keeps every line it is given, for tests that inspect logs. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(jsonLogger((line) => lines.push(line)), { lines });
}

/**
 * A clock that stands still mid-minute, for tests that run into a small rate limit: the cluster's
 * windows are aligned to the clock (store/postgres/cluster-rate-limit.ts), so on the real clock a
 * test crossing a minute boundary would start a fresh window between its requests.
 */
export const STILL_CLOCK = (): Date => new Date('2026-06-01T12:00:30.000Z');

/**
 * A connector over a fresh, empty data directory (no demo), driven through `app.request()`.
 * Users are made through the same services the admin routes call.
 */
export async function createTestContext(
  config: Partial<ConnectorConfig> = {},
  now?: () => Date,
  log: Logger = silentLogger,
): Promise<TestContext> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sheetgate-test-'));
  // The PostgreSQL store when the test file runs on it (test/connector/on-postgres/), a fresh database each time.
  const database = testStoreIsPostgres() ? await createTestDatabase({ migrated: true }) : null;
  const services = await openServices({ dataDir, databaseUrl: database?.url, config, secret: TEST_SECRET, log, now });
  const app = createApp(services);

  const context: TestContext = {
    app,
    services,
    dataDir,
    async createUser(options = {}): Promise<TestUser> {
      counter++;
      const username = options.username ?? `user${counter}`;
      const user = await createStoredUser(services, CLI_ACTOR, {
        username,
        email: `${username}@example.com`,
        name: username,
        kind: options.kind ?? 'portal',
        roles: options.roles ?? ['member'],
        organizations: options.organizations ?? [],
        teams: options.teams ?? [],
        allowedIps: options.allowedIps ?? [],
      });
      if (options.grants) await setGrants(services, CLI_ACTOR, user.id, options.grants);
      if (options.settings) await setSettings(services, CLI_ACTOR, user.id, options.settings);
      if (options.authorized === false) {
        return { user, token: '', key: '', credentialId: '', headers: {} };
      }
      const credential = await authorize(services, CLI_ACTOR, user.id);
      return {
        user: await services.store.security.getUser(user.id) as User,
        token: credential.token,
        key: credential.key,
        credentialId: credential.id,
        headers: { [TOKEN_HEADER]: credential.token, [KEY_HEADER]: credential.key },
      };
    },
    createOrganization: (name, kind, parent) => createOrganization(services, CLI_ACTOR, { name, kind, parent: parent ?? null }),
    createTeam: (name) => createTeam(services, CLI_ACTOR, { name }),
    request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.body !== undefined) {
        headers['Content-Type'] ??= 'application/json';
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      // A fake Node socket lets tests play a remote (non-loopback) client.
      const env = options.ip ? { incoming: { socket: { remoteAddress: options.ip, encrypted: true } } } : undefined;
      return Promise.resolve(app.request(path, { method, headers, body }, env as never));
    },
    async close() {
      await services.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return context;
}
