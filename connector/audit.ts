import { decodeListCursor, encodeListCursor } from './list-cursor';
import type { Principal } from './security/principal';
import { actorName } from './security/principal';
import type { AuditEntry, AuditLog } from './store/types';

export interface AuditEvent {
  principal: Principal | null;
  action: string;
  target?: string | null;
  ip: string | null;
  outcome?: string;
  at: Date;
}

/** Records one audited event. Targets are ids and names, never a key or digest. */
export function recordAudit(log: AuditLog, event: AuditEvent): void {
  log.append(auditEntry(event));
}

function auditEntry(event: AuditEvent): AuditEntry {
  return {
    at: event.at.toISOString(),
    ...actorName(event.principal),
    action: event.action,
    target: event.target ?? null,
    ip: event.ip,
    outcome: event.outcome ?? 'ok',
  };
}

export interface AuditQuery {
  limit: number;
  cursor?: string;
  actor?: string;
  /** Exact, or a prefix when it ends in `.` (`credential.` matches `credential.revoke`). */
  action?: string;
  target?: string;
  outcome?: string;
}

interface AuditPosition {
  /** The time of the last entry served, and how many matching entries of that very time were served. */
  at: string;
  seen: number;
}

/**
 * One page of the audit log, newest first. The store lists newest first and the log is bounded, so
 * this filters over the whole log. New entries land before the cursor's position, never inside a
 * page already served.
 */
export async function pageAudit(log: AuditLog, query: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  const filters = JSON.stringify([query.actor, query.action, query.target, query.outcome]);
  const from = query.cursor === undefined ? undefined : decodeListCursor('audit', filters, query.cursor, isAuditPosition);
  const entries: AuditEntry[] = [];
  let seenAtFrom = 0;
  let more = false;
  for (const entry of await log.list(Number.MAX_SAFE_INTEGER)) {
    if (!matchesAudit(entry, query)) continue;
    if (from && entry.at > from.at) continue;
    if (from && entry.at === from.at && seenAtFrom++ < from.seen) continue;
    if (entries.length === query.limit) {
      more = true;
      break;
    }
    entries.push(entry);
  }
  if (!more) return { entries, nextCursor: null };
  const last = entries[entries.length - 1].at;
  const seen = entries.filter((entry) => entry.at === last).length + (from?.at === last ? from.seen : 0);
  return { entries, nextCursor: encodeListCursor('audit', filters, { at: last, seen } satisfies AuditPosition) };
}

function matchesAudit(entry: AuditEntry, query: AuditQuery): boolean {
  if (query.actor !== undefined && entry.actor !== query.actor) return false;
  if (query.target !== undefined && entry.target !== query.target) return false;
  if (query.outcome !== undefined && entry.outcome !== query.outcome) return false;
  if (query.action !== undefined) {
    const prefix = query.action.endsWith('.');
    if (prefix ? !entry.action.startsWith(query.action) : entry.action !== query.action) return false;
  }
  return true;
}

function isAuditPosition(value: unknown): value is AuditPosition {
  const position = value as Partial<AuditPosition> | null;
  return typeof position?.at === 'string' && Number.isSafeInteger(position.seen) && (position.seen ?? -1) >= 0;
}
