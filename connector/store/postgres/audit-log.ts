import type { Logger } from '../../logger';
import type { AuditEntry, AuditLog } from '../types';
import type { Queryable } from './queryable';

/** Inserts `entries` in one statement, in their order (so `id` order is theirs). */
export async function insertAuditEntries(db: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const column = <K extends keyof AuditEntry>(key: K) => entries.map((entry) => entry[key]);
  await db.query(
    `INSERT INTO audit (at, actor, actor_id, action, target, ip, outcome)
     SELECT at, actor, actor_id, action, target, ip, outcome
       FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            WITH ORDINALITY AS e(at, actor, actor_id, action, target, ip, outcome, n)
      ORDER BY n`,
    [column('at'), column('actor'), column('actorId'), column('action'), column('target'), column('ip'), column('outcome')],
  );
}

/**
 * Audit entries that belong to no change (refused requests): queued and written together once per
 * event-loop turn, so a flood of refusals costs one insert per turn rather than one per request.
 * A failed write is logged, never thrown at the request that caused it. Entries of a change are
 * written by its transaction instead (SecurityTransaction.audit).
 */
export class PostgresAuditLog implements AuditLog {
  private queued: AuditEntry[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly log: Logger,
  ) {}

  append(entry: AuditEntry): void {
    if (this.queued.length === 0) this.writing = this.writing.then(() => new Promise(setImmediate)).then(() => this.write());
    this.queued.push(entry);
  }

  /** Written at once, outside the queue: resolves when it is committed, rejects when it is not. */
  async appendDurably(entry: AuditEntry): Promise<void> {
    await insertAuditEntries(this.db, [entry]);
  }

  /** Newest first, this instance's queued entries included (they are written first). */
  async list(limit: number): Promise<AuditEntry[]> {
    await this.writing;
    const { rows } = await this.db.query<{ at: string; actor: string; actor_id: string | null; action: string; target: string | null; ip: string | null; outcome: string }>(
      'SELECT at, actor, actor_id, action, target, ip, outcome FROM audit ORDER BY id DESC LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({ at: row.at, actor: row.actor, actorId: row.actor_id, action: row.action, target: row.target, ip: row.ip, outcome: row.outcome }));
  }

  flush(): Promise<void> {
    return this.writing;
  }

  private async write(): Promise<void> {
    const entries = this.queued;
    this.queued = [];
    try {
      await insertAuditEntries(this.db, entries);
    } catch (error) {
      this.log.error('audit_write_failed', { count: entries.length, message: (error as Error).message });
    }
  }
}
