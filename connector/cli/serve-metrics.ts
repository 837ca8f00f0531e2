import type { MiddlewareHandler } from 'hono';
import type { Services } from '../deps';
import { metricsApp } from '../metrics/metrics-app';
import { createMetrics } from '../metrics/registry';
import { timedStore } from '../metrics/timed-store';
import { listen } from '../server';
import type { PostgresStore } from '../store/postgres/open-postgres-store';
import type { Store } from '../store/types';
import type { MetricsListener } from './env-config';

export interface ServedMetrics {
  /** The services with their store timed, for the app. */
  services: Services;
  requests: MiddlewareHandler;
  close(): Promise<void>;
}

/** Starts the metrics listener (`SHEETGATE_METRICS=on`) and instruments what the app will run on. */
export async function serveMetrics(services: Services, listener: MetricsListener): Promise<ServedMetrics> {
  const metrics = createMetrics({ pool: isPostgres(services.store) ? services.store.pool : undefined });
  const server = await listen(metricsApp(metrics.registry, listener.token), { host: listener.host, port: listener.port });
  services.log.info('metrics_listening', { url: `${server.url}/metrics`, token: listener.token !== null });
  return {
    services: { ...services, store: timedStore(services.store, metrics.storeOperations) },
    requests: metrics.requests,
    close: () => server.close().catch(() => {}),
  };
}

function isPostgres(store: Store): store is PostgresStore {
  return 'pool' in store;
}
