import { invalidRequest } from '../errors';
import type { AuditEntry, AuditFilter, AuditPage } from './types';

// The audit log's filters and paging over entries held newest first (the embedded store's bounded
// files). The PostgreSQL store runs the same filters in SQL.

export function matchesAudit(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.actor !== undefined && entry.actor !== filter.actor) return false;
  if (filter.target !== undefined && entry.target !== filter.target) return false;
  if (filter.outcome !== undefined && entry.outcome !== filter.outcome) return false;
  if (filter.action !== undefined) {
    const prefix = filter.action.endsWith('.');
    if (prefix ? !entry.action.startsWith(filter.action) : entry.action !== filter.action) return false;
  }
  return true;
}

interface TimePosition {
  /** The time of the last entry served, and how many matching entries of that very time were served. */
  at: string;
  seen: number;
}

/**
 * One page of `newestFirst` (every entry, newest first), after a position this function issued.
 * New entries land before the position, never inside a page already served.
 */
export function pageNewestFirst(newestFirst: readonly AuditEntry[], filter: AuditFilter, limit: number, after: unknown): AuditPage {
  const from = after === null ? undefined : timePosition(after);
  const entries: AuditEntry[] = [];
  let seenAtFrom = 0;
  let more = false;
  for (const entry of newestFirst) {
    if (!matchesAudit(entry, filter)) continue;
    if (from && entry.at > from.at) continue;
    if (from && entry.at === from.at && seenAtFrom++ < from.seen) continue;
    if (entries.length === limit) {
      more = true;
      break;
    }
    entries.push(entry);
  }
  if (!more) return { entries, next: null };
  const last = entries[entries.length - 1].at;
  const seen = entries.filter((entry) => entry.at === last).length + (from?.at === last ? from.seen : 0);
  return { entries, next: { at: last, seen } satisfies TimePosition };
}

function timePosition(value: unknown): TimePosition {
  const position = value as Partial<TimePosition> | null;
  if (typeof position?.at === 'string' && Number.isSafeInteger(position.seen) && (position.seen ?? -1) >= 0) return position as TimePosition;
  throw invalidRequest('Field "cursor": not a cursor this listing issued with these filters; start again without one.');
}
