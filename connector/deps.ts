import type { ConnectorConfig } from './config';
import type { KeyVault } from './credentials/vault';
import type { Logger } from './logger';
import type { RateLimiter } from './security/rate-limit';
import type { Store } from './store/types';
import type { TableCatalog } from './tables/catalog';

/** What the app and the CLI share: one set of services over one store. */
export interface Services {
  store: Store;
  vault: KeyVault;
  tables: TableCatalog;
  config: ConnectorConfig;
  log: Logger;
  rateLimiter: RateLimiter;
  now: () => Date;
}
