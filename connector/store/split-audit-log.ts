import { pageNewestFirst } from './audit-page';
import type { AuditEntry, AuditFilter, AuditLog, AuditPage } from './types';

/**
 * Admin actions and refused requests in two bounded logs, read back as one. Anyone on the network
 * can cause refusals; with one shared cap, a flood of them would push every admin action out.
 */
export class SplitAuditLog implements AuditLog {
  constructor(
    private readonly actions: AuditLog,
    private readonly refusals: AuditLog,
  ) {}

  append(entry: AuditEntry): void {
    this.logFor(entry).append(entry);
  }

  appendDurably(entry: AuditEntry): Promise<void> {
    return this.logFor(entry).appendDurably(entry);
  }

  private logFor(entry: AuditEntry): AuditLog {
    return entry.outcome === 'ok' ? this.actions : this.refusals;
  }

  /** Newest first across both logs. */
  /** The log is bounded (rotated files), so a page filters over all of it in memory. */
  async page(filter: AuditFilter, limit: number, after: unknown): Promise<AuditPage> {
    return pageNewestFirst(await this.list(Number.MAX_SAFE_INTEGER), filter, limit, after);
  }

  async list(limit: number): Promise<AuditEntry[]> {
    const [actions, refusals] = await Promise.all([this.actions.list(limit), this.refusals.list(limit)]);
    return [...actions, ...refusals].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }

  async flush(): Promise<void> {
    await Promise.all([this.actions.flush(), this.refusals.flush()]);
  }
}
