import { prometheus } from '@hono/prometheus';
import type { MiddlewareHandler } from 'hono';
import type pg from 'pg';
import { Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  /**
   * Counts and times each request as `http_requests_total` and `http_request_duration_seconds` by
   * method, status and route, the route being the pattern of the handler that answered
   * (`/v1/tables/:table/rows`, `/v1/*` for a refused credential), never the path a client sent:
   * a key in a path cannot reach a label, and the label's values are the app's routes.
   */
  readonly requests: MiddlewareHandler;
  /** `sheetgate_store_operation_duration_seconds` by operation (`security.findPrincipal`). */
  readonly storeOperations: Histogram<'operation'>;
}

/**
 * The connector's metrics in their own registry: requests, store operations, the PostgreSQL pool
 * when there is one, and prom-client's process metrics (CPU, memory, event-loop lag, handles).
 */
export function createMetrics(options: { pool?: pg.Pool } = {}): Metrics {
  const registry = new Registry();
  const { registerMetrics } = prometheus({ registry, collectDefaultMetrics: true });
  const storeOperations = new Histogram({
    name: 'sheetgate_store_operation_duration_seconds',
    help: 'Duration of store operations in seconds (a transaction counts as one operation)',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  if (options.pool) registerPoolGauges(registry, options.pool);
  return { registry, requests: registerMetrics, storeOperations };
}

/** Read from the pool at each scrape: in use = total - idle; waiting > 0 means the pool is too small. */
function registerPoolGauges(registry: Registry, pool: pg.Pool): void {
  const gauges: Array<[name: string, help: string, read: () => number]> = [
    ['sheetgate_db_pool_connections', 'PostgreSQL connections open in this instance\'s pool', () => pool.totalCount],
    ['sheetgate_db_pool_idle_connections', 'PostgreSQL connections open and idle in the pool', () => pool.idleCount],
    ['sheetgate_db_pool_waiting_requests', 'Queries waiting for a connection from the pool', () => pool.waitingCount],
  ];
  for (const [name, help, read] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }
}
