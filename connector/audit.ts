import { decodeListCursor, encodeListCursor } from './list-cursor';
import type { Principal } from './security/principal';
import { actorName } from './security/principal';
import type { AuditEntry, AuditFilter, AuditLog } from './store/types';

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

/** The one way an audit entry is made, for actions and refusals alike. */
export function auditEntry(event: AuditEvent): AuditEntry {
  return {
    at: event.at.toISOString(),
    ...actorName(event.principal),
    action: event.action,
    target: event.target ?? null,
    ip: event.ip,
    outcome: event.outcome ?? 'ok',
  };
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  cursor?: string;
}

/**
 * One page of the audit log, newest first: the store filters and pages; the cursor wraps the
 * store's position with the filters it was issued for, so it is refused with any others.
 */
export async function pageAudit(log: AuditLog, query: AuditQuery): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
  const filter: AuditFilter = { actor: query.actor, action: query.action, target: query.target, outcome: query.outcome };
  const filters = JSON.stringify([query.actor, query.action, query.target, query.outcome]);
  const after = query.cursor === undefined ? null : decodeListCursor('audit', filters, query.cursor, isPosition);
  const page = await log.page(filter, query.limit, after);
  return { entries: page.entries, nextCursor: page.next === null ? null : encodeListCursor('audit', filters, page.next) };
}

function isPosition(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
