import type { Logger } from '../../logger';
import type { Credential } from '../types';
import type { Queryable } from './queryable';

const USAGE_FLUSH_MS = 5000;

interface Use {
  at: string;
  ip: string;
}

/**
 * A credential's last use (`lastUsedAt`, `lastUsedIp`), coalesced: a request only notes it here,
 * and one UPDATE every few seconds (and on close) writes every use noted since. It is usage, not
 * security state, so a crash may lose the last few seconds of it, never a revocation. Reads in this
 * process see the noted use at once; other instances see it after the flush. Several instances
 * writing one credential keep the newest use.
 */
export class CredentialUsage {
  private pending = new Map<string, Use>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly log: Logger,
    private readonly flushMs = USAGE_FLUSH_MS,
  ) {}

  record(credentialId: string, at: string, ip: string): void {
    const known = this.pending.get(credentialId);
    if (!known || known.at <= at) this.pending.set(credentialId, { at, ip });
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** `credential` with this process's newer noted use, if any. */
  overlay(credential: Credential): Credential {
    const use = this.pending.get(credential.id);
    if (!use || (credential.lastUsedAt !== null && credential.lastUsedAt >= use.at)) return credential;
    return { ...credential, lastUsedAt: use.at, lastUsedIp: use.ip };
  }

  /** Writes every noted use in one statement; a failure is logged and the uses kept for the next. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const uses = this.pending;
    this.pending = new Map();
    const ids = [...uses.keys()];
    try {
      await this.db.query(
        `UPDATE credentials c SET last_used_at = u.at, last_used_ip = u.ip
           FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS u(id, at, ip)
          WHERE c.id = u.id AND (c.last_used_at IS NULL OR c.last_used_at <= u.at)`,
        [ids, ids.map((id) => uses.get(id)!.at), ids.map((id) => uses.get(id)!.ip)],
      );
    } catch (error) {
      this.log.error('credential_usage_write_failed', { count: ids.length, message: (error as Error).message });
      for (const [id, use] of uses) if (!this.pending.has(id)) this.pending.set(id, use);
    }
  }
}
