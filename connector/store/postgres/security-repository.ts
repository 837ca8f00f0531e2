import type pg from 'pg';
import type { AuditEntry, SecurityRepository, SecurityTransaction } from '../types';
import { auditInsert } from './audit-log';
import type { CredentialUsage } from './credential-usage';
import { translateDatabaseError } from './errors';
import { PostgresSecurityReads } from './security-reads';
import { PostgresSecurityTransaction } from './security-transaction';
import { inTransaction } from './transaction';

/**
 * The security model in PostgreSQL. Reads outside a transaction go through the pool; a change is
 * BEGIN … COMMIT on one pooled client, its audit entries inserted in the COMMIT's own message, so
 * the change and its entry are durable together or not at all, on whichever instance reads next.
 */
export class PostgresSecurityRepository extends PostgresSecurityReads implements SecurityRepository {
  constructor(
    private readonly pool: pg.Pool,
    usage: CredentialUsage,
  ) {
    super(pool, usage);
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
    }
  }

  recordCredentialUse(credentialId: string, at: string, ip: string): void {
    this.usage.record(credentialId, at, ip);
  }
}
