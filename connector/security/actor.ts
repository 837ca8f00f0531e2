import { auditEntry } from '../audit';
import type { AuditEntry } from '../store/types';
import { OPERATOR, type Principal } from './principal';

/**
 * Who asks a service to act, and from where: what every service checks its permissions against
 * and writes into the audit entry of the change. Routes make one from the request; the CLI on a
 * data directory is the operator, from no address.
 */
export interface Actor {
  readonly principal: Principal;
  readonly ip: string | null;
}

export const CLI_ACTOR: Actor = { principal: OPERATOR, ip: null };

/** The audit entry of something an actor did. Targets are ids and names, never a key or digest. */
export function auditEntryOf(actor: Actor, action: string, target: string | null, at: Date, outcome = 'ok'): AuditEntry {
  return auditEntry({ principal: actor.principal, ip: actor.ip, action, target, at, outcome });
}
