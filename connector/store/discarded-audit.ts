import type { AuditLog } from './types';

/** An audit log that keeps nothing: for a repository opened on its own (a benchmark, a store test). */
export const DISCARDED_AUDIT: AuditLog = {
  append() {},
  appendDurably: async () => {},
  list: async () => [],
  page: async () => ({ entries: [], next: null }),
  flush: async () => {},
};
