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

/** Records one audited event and resolves once it is on disk; rejects when it could not be written. */
export function recordAuditDurably(log: AuditLog, event: AuditEvent): Promise<void> {
  return log.appendDurably(auditEntry(event));
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
