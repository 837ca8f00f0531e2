import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults, type ConnectorConfig } from './config';
import { loadServerSecret } from './credentials/server-secret';
import { KeyVault } from './credentials/vault';
import type { Services } from './deps';
import { jsonLogger, type Logger } from './logger';
import { RateLimiter } from './security/rate-limit';
import { openLowdbStore } from './store/open-store';
import { loadCatalog } from './tables/load-catalog';

export interface OpenServicesOptions {
  dataDir: string;
  config?: Partial<ConnectorConfig>;
  /** `SHEETGATE_SECRET`; when unset a secret file beside the data is used (created once). */
  secret?: string;
  log?: Logger;
  now?: () => Date;
}

export interface OpenedServices extends Services {
  /** True when the data directory was new: the caller decides whether to seed the demo. */
  readonly isNew: boolean;
  close(): Promise<void>;
}

/**
 * Everything the routes and the CLI run on, over one data directory: table definitions (built-in
 * plus the operator's in `<data>/definitions`), the locked store, the key vault.
 */
export async function openServices(options: OpenServicesOptions): Promise<OpenedServices> {
  const config = withDefaults(options.config);
  const log = options.log ?? jsonLogger();
  const operatorDefinitions = join(options.dataDir, 'definitions');
  const tables = loadCatalog(existsSync(operatorDefinitions) ? operatorDefinitions : undefined);
  const store = await openLowdbStore(options.dataDir, tables.list().map((table) => ({ id: table.id, key: table.key })), log);
  try {
    const { secret, warning } = loadServerSecret(options.dataDir, options.secret);
    if (warning) log.warn('server_secret_permissions', { message: warning });
    return {
      isNew: store.isNew,
      store,
      vault: new KeyVault(secret),
      tables,
      config,
      log,
      rateLimiter: new RateLimiter(config.rateLimit.requests, config.rateLimit.windowSeconds * 1000),
      now: options.now ?? (() => new Date()),
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
