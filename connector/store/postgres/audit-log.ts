import pg from 'pg';
import type { Logger } from '../../logger';
import { invalidRequest } from '../../errors';
import type { AuditEntry, AuditFilter, AuditLog, AuditPage } from '../types';
import type { Queryable } from './queryable';

/** Inserts `entries` in one statement, in their order (so `id` order is theirs). */
export async function insertAuditEntries(db: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(auditInsert(entries));
}

/**
 * The INSERT of `entries`, in their order, with the values written in as literals (pg's own
 * escaping) rather than bound: a statement without parameters can travel in one message with the
 * COMMIT after it, so a change and its audit entries cost one round trip, not two.
 */
export function auditInsert(entries: readonly AuditEntry[]): string {
  const literal = (value: string | null | undefined) => (value === null || value === undefined ? 'NULL' : pg.escapeLiteral(value));
  const values = entries.map(
    (e, n) => `(${literal(e.at)}::timestamptz, ${[e.actor, e.actorId, e.action, e.target, e.ip, e.outcome].map(literal).join(', ')}, ${n})`,
  );
  return `INSERT INTO audit (at, actor, actor_id, action, target, ip, outcome)
    SELECT at, actor, actor_id, action, target, ip, outcome FROM (VALUES ${values.join(', ')}) AS e(at, actor, actor_id, action, target, ip, outcome, n)
     ORDER BY n`;
}

/** How many refused requests the audit keeps, and after how many written ones an instance prunes. */
export interface RefusalRetention {
  kept: number;
  pruneEvery: number;
}

/**
 * Anyone on the network can cause refusals, so they are bounded, as the embedded store bounds its
 * refusals file; admin actions (outcome `ok`) are never pruned here.
 */
export const REFUSAL_RETENTION: RefusalRetention = { kept: 1_000_000, pruneEvery: 10_000 };

/**
 * Audit entries that belong to no change (refused requests): queued and written together once per
 * event-loop turn, so a flood of refusals costs one insert per turn rather than one per request.
 * A failed write is logged, never thrown at the request that caused it. Entries of a change are
 * written by its transaction instead (SecurityTransaction.audit).
 */
export class PostgresAuditLog implements AuditLog {
  private queued: AuditEntry[] = [];
  private writing: Promise<void> = Promise.resolve();
  private refusalsSincePrune = 0;

  constructor(
    private readonly db: Queryable,
    private readonly log: Logger,
    private readonly retention: RefusalRetention = REFUSAL_RETENTION,
  ) {}

  append(entry: AuditEntry): void {
    if (this.queued.length === 0) this.writing = this.writing.then(() => new Promise(setImmediate)).then(() => this.write());
    this.queued.push(entry);
  }

  /** Written at once, outside the queue: resolves when it is committed, rejects when it is not. */
  async appendDurably(entry: AuditEntry): Promise<void> {
    await insertAuditEntries(this.db, [entry]);
  }

  /**
   * One indexed query: the filters as SQL, newest first by id, keyset after the id a page ended at
   * (ids only grow, so entries recorded meanwhile land before it, never inside a later page).
   */
  async page(filter: AuditFilter, limit: number, after: unknown): Promise<AuditPage> {
    if (after !== null && !Number.isSafeInteger((after as { id?: unknown })?.id)) {
      throw invalidRequest('Field "cursor": not a cursor this listing issued with these filters; start again without one.');
    }
    await this.writing;
    const values: unknown[] = [];
    const where: string[] = [];
    const equal = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      values.push(value);
      where.push(`${column} = $${values.length}`);
    };
    equal('actor', filter.actor);
    equal('target', filter.target);
    equal('outcome', filter.outcome);
    if (filter.action?.endsWith('.')) {
      // LIKE on the bytewise-sorted ("C") column: an index range; the prefix's own pattern characters escaped.
      values.push(`${filter.action.replace(/[\\%_]/g, '\\$&')}%`);
      where.push(`action LIKE $${values.length}`);
    } else {
      equal('action', filter.action);
    }
    if (after !== null) {
      values.push((after as { id: number }).id);
      where.push(`id < $${values.length}`);
    }
    values.push(limit + 1);
    const { rows } = await this.db.query<AuditRow & { id: number }>(
      `SELECT id, at, actor, actor_id, action, target, ip, outcome FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit);
    return { entries: page.map(entryOf), next: rows.length > limit ? { id: page[page.length - 1].id } : null };
  }

  /** Newest first, this instance's queued entries included (they are written first). */
  async list(limit: number): Promise<AuditEntry[]> {
    await this.writing;
    const { rows } = await this.db.query<AuditRow>('SELECT at, actor, actor_id, action, target, ip, outcome FROM audit ORDER BY id DESC LIMIT $1', [limit]);
    return rows.map(entryOf);
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
      return;
    }
    this.refusalsSincePrune += entries.filter((entry) => entry.outcome !== 'ok').length;
    if (this.refusalsSincePrune >= this.retention.pruneEvery) await this.pruneRefusals();
  }

  /**
   * Drops every refusal older than the newest `kept`. Each instance prunes after the refusals it
   * wrote itself; two pruning at once delete the same rows, which is harmless. The partial index
   * audit_refusals (migration 003) makes the walk to the cut-off an index-only one.
   */
  private async pruneRefusals(): Promise<void> {
    this.refusalsSincePrune = 0;
    try {
      const { rowCount } = await this.db.query(
        `DELETE FROM audit
          WHERE outcome <> 'ok'
            AND id < (SELECT id FROM audit WHERE outcome <> 'ok' ORDER BY id DESC OFFSET $1 LIMIT 1)`,
        [this.retention.kept - 1],
      );
      if (rowCount) this.log.info('audit_refusals_pruned', { count: rowCount, kept: this.retention.kept });
    } catch (error) {
      this.log.error('audit_prune_failed', { message: (error as Error).message });
    }
  }
}

interface AuditRow {
  at: string;
  actor: string;
  actor_id: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
}

function entryOf(row: AuditRow): AuditEntry {
  return { at: row.at, actor: row.actor, actorId: row.actor_id, action: row.action, target: row.target, ip: row.ip, outcome: row.outcome };
}
