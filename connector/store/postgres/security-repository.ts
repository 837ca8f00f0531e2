import type pg from 'pg';
import type { AuditEntry, CredentialHolder, SecurityRepository, SecurityTransaction } from '../types';
import { auditInsert } from './audit-log';
import type { CredentialUsage } from './credential-usage';
import { translateDatabaseError } from './errors';
import { PrincipalCache } from './principal-cache';
import { prepared } from './queryable';
import { PostgresSecurityReads } from './security-reads';
import { SECURITY_VERSION_SELECT } from './security-sql';
import { PostgresSecurityTransaction } from './security-transaction';
import { inTransaction } from './transaction';

/**
 * The security model in PostgreSQL. Reads outside a transaction go through the pool; a change is
 * BEGIN … COMMIT on one pooled client, its audit entries inserted in the COMMIT's own message, so
 * the change and its entry are durable together or not at all, on whichever instance reads next.
 */
export class PostgresSecurityRepository extends PostgresSecurityReads implements SecurityRepository {
  private readonly principals = new PrincipalCache();

  constructor(
    private readonly pool: pg.Pool,
    usage: CredentialUsage,
  ) {
    super(pool, usage);
  }

  /**
   * A token seen before costs a one-row read of the security version instead of the principal's
   * joins; the kept principal is used only if nothing changed since (principal-cache.ts). Reads in
   * a transaction (PostgresSecurityTransaction) never use it.
   */
  override async findPrincipal(token: string): Promise<CredentialHolder | undefined> {
    if (this.principals.holds(token)) {
      const { rows } = await this.pool.query<{ version: string }>(prepared(SECURITY_VERSION_SELECT));
      const kept = this.principals.take(token, Number(rows[0].version));
      if (kept) return kept.holder && this.withUsage(kept.holder);
    }
    const { holder, version } = await this.readPrincipal(token);
    this.principals.keep(token, version, holder);
    return holder && this.withUsage(holder);
  }

  async transaction<T>(change: (tx: SecurityTransaction) => Promise<T>): Promise<T> {
    try {
      let entries: readonly AuditEntry[] = [];
      return await inTransaction(
        this.pool,
        async (client) => {
          const tx = new PostgresSecurityTransaction(client, this.usage);
          try {
            return await change(tx);
          } finally {
            tx.end();
            entries = tx.auditEntries;
          }
        },
        () => (entries.length === 0 ? null : auditInsert(entries)),
      );
    } catch (error) {
      throw translateDatabaseError(error);
    } finally {
      // A change made here moved the version (or may have: a lost COMMIT answer): this instance's
      // next reads go straight to the principal, not first to a version read that would say so.
      this.principals.clear();
    }
  }

  recordCredentialUse(credentialId: string, at: string, ip: string): void {
    this.usage.record(credentialId, at, ip);
  }
}
