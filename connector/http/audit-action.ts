import type { Context } from 'hono';
import { recordAudit, type AuditEvent } from '../audit';
import type { Services } from '../deps';
import type { AppEnv } from './app-env';

/** Audits an admin action done by this request's principal. */
export function auditAction(c: Context<AppEnv>, services: Services, action: string, target: string | null): void {
  recordAudit(services.store.audit, actionEvent(c, services, action, target));
}

function actionEvent(c: Context<AppEnv>, services: Services, action: string, target: string | null): AuditEvent {
  return { principal: c.get('principal'), action, target, ip: c.get('clientIp'), at: services.now() };
}
