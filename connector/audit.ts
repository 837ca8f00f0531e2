import type { Principal } from './security/principal';
import { actorName } from './security/principal';
import type { AuditLog } from './store/types';

/** Records one audited event. Targets are ids and names, never a key or digest. */
export function recordAudit(
  log: AuditLog,
  event: { principal: Principal | null; action: string; target?: string | null; ip: string | null; outcome?: string; at: Date },
): void {
  log.append({
    at: event.at.toISOString(),
    ...actorName(event.principal),
    action: event.action,
    target: event.target ?? null,
    ip: event.ip,
    outcome: event.outcome ?? 'ok',
  });
}
