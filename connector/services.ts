import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withDefaults, type ConnectorConfig } from './config';
import { defaultSecretsDir, loadServerSecret, secretFromEnv, ServerSecretError } from './credentials/server-secret';
import { KeyVault } from './credentials/vault';
import type { Services } from './deps';
import { jsonLogger, type Logger } from './logger';
import { MemoryRateLimiter } from './security/rate-limit';
import { openLowdbStore } from './store/open-store';
import { ClusterRateLimiter } from './store/postgres/cluster-rate-limit';
import { openPostgresStore } from './store/postgres/open-postgres-store';
import { loadCatalog } from './tables/load-catalog';
import { rowTextFormats } from './tables/row-texts';
import type { TableCatalog } from './tables/catalog';

export interface OpenServicesOptions {
  /** The embedded store's data directory; ignored when `databaseUrl` is given. */
  dataDir: string;
  /** `--database-url`: the PostgreSQL database several connectors share, instead of `dataDir`. */
  databaseUrl?: string;
  /**
   * With `databaseUrl`: the operator's table definitions (`--definitions`), which every connector on
   * the database must be given alike. A data directory keeps its own in `<data>/definitions`.
   */
  definitionsDir?: string;
  config?: Partial<ConnectorConfig>;
  /** `SHEETGATE_SECRET`; when unset, `secretFile` or the default secret file is used. */
  secret?: string;
  /** `--secret-file`: the server secret's file, created for a new data directory. */
  secretFile?: string;
  /** Where default secret files live; `$XDG_CONFIG_HOME/sheetgate/secrets` (or `~/.config/...`) if unset. */
  secretsDir?: string;
  log?: Logger;
  now?: () => Date;
}

export interface OpenedServices extends Services {
  /** True when the data directory was new: the caller decides whether to seed the demo. */
  readonly isNew: boolean;
  /** Things the operator must hear once (the server secret moved, a loose file mode): for stderr. */
  readonly notices: readonly string[];
  close(): Promise<void>;
}

/**
 * Everything the routes and the CLI run on, over one data directory: table definitions (built-in
 * plus the operator's in `<data>/definitions`), the locked store, the key vault.
 */
export async function openServices(options: OpenServicesOptions): Promise<OpenedServices> {
  if (options.databaseUrl !== undefined) return openDatabaseServices(options.databaseUrl, options);
  const config = withDefaults(options.config);
  const log = options.log ?? jsonLogger();
  const tables = embeddedCatalog(options.dataDir);
  const store = await openLowdbStore(options.dataDir, tables.list().map((table) => ({ id: table.id, key: table.key })), log);
  try {
    const { secret, notices } = loadServerSecret(
      options.dataDir,
      { fromEnv: options.secret, file: options.secretFile, secretsDir: options.secretsDir ?? defaultSecretsDir(process.env) },
      store.isNew,
    );
    // The event alone in the log; the message (it names files) goes to the operator through `notices`.
    for (const notice of notices) log.warn(notice.event);
    return {
      isNew: store.isNew,
      notices: notices.map((notice) => notice.message),
      store,
      vault: new KeyVault(secret),
      tables,
      config,
      log,
      rateLimiter: new MemoryRateLimiter(config.rateLimit.requests, config.rateLimit.windowSeconds * 1000),
      now: options.now ?? (() => new Date()),
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The table definitions of a data directory: the built-in ones plus the operator's in `<data>/definitions`. */
export function embeddedCatalog(dataDir: string): TableCatalog {
  const operatorDefinitions = join(dataDir, 'definitions');
  return loadCatalog(existsSync(operatorDefinitions) ? operatorDefinitions : undefined);
}

/**
 * The same over a PostgreSQL database: the built-in table definitions and the operator's given
 * ones, the shared store, and the
 * cluster-wide rate limit. The server secret must be given (`SHEETGATE_SECRET`): every instance
 * needs the same one, so none may make its own.
 */
async function openDatabaseServices(url: string, options: OpenServicesOptions): Promise<OpenedServices> {
  if (!options.secret) {
    throw new ServerSecretError(
      'SHEETGATE_SECRET is required with a database URL: every connector on one database must use the same secret (at least 32 characters); set it in the environment of each one.',
    );
  }
  const config = withDefaults(options.config);
  const log = options.log ?? jsonLogger();
  const tables = loadCatalog(options.definitionsDir);
  const vault = new KeyVault(secretFromEnv(options.secret));
  const store = await openPostgresStore(url, {
    tables: tables.list().map((table) => ({
      id: table.id,
      key: table.key,
      scopeField: table.scope.by === 'none' ? null : (table.scope.field ?? null),
      texts: rowTextFormats(table),
    })),
    log,
  });
  return {
    isNew: store.isNew,
    notices: [],
    store,
    vault,
    tables,
    config,
    log,
    rateLimiter: new ClusterRateLimiter(store.pool, config.rateLimit.requests, config.rateLimit.windowSeconds * 1000, log),
    now: options.now ?? (() => new Date()),
    close: () => store.close(),
  };
}
