import type { Histogram } from 'prom-client';
import type { Store } from '../store/types';

/**
 * The same store, its repositories' asynchronous methods timed into `histogram`, for either
 * adapter. A transaction is one observation (`security.transaction`): the reads and writes inside
 * it run on the transaction's own object, which is not wrapped.
 */
export function timedStore<S extends Store>(store: S, histogram: Histogram<'operation'>): S {
  return {
    ...store,
    security: timed(store.security, 'security', histogram),
    rows: timed(store.rows, 'rows', histogram),
    audit: timed(store.audit, 'audit', histogram),
  };
}

function timed<T extends object>(target: T, repository: string, histogram: Histogram<'operation'>): T {
  const wrappers = new Map<string, unknown>();
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        // Labels are method names of the store's code: a bounded set, whatever the requests.
        const labels = { operation: `${repository}.${property}` };
        wrapper = (...args: unknown[]) => {
          const started = performance.now();
          const result: unknown = value.apply(object, args);
          if (!(result instanceof Promise)) return result;
          return result.finally(() => histogram.observe(labels, (performance.now() - started) / 1000));
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}
