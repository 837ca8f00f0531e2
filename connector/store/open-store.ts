import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../logger';
import { DEFAULT_AUDIT_MAX_BYTES, JsonLinesAuditLog } from './audit-file';
import { SplitAuditLog } from './split-audit-log';
import { lockDataDir } from './data-dir-lock';
import { LowdbRowRepository, type TableKey } from './lowdb/rows-file';
import { LowdbSecurityRepository } from './lowdb/security-file';
import type { Store } from './types';

export interface OpenedStore extends Store {
  /** True when the data directory had no security file yet (the caller seeds it). */
  readonly isNew: boolean;
  // The adapters themselves: their whole-table reads are what copy-store copies from.
  readonly security: LowdbSecurityRepository;
  readonly rows: LowdbRowRepository;
}

/**
 * Opens the embedded lowdb store in `dir`: `security.json` (users, organizations, teams,
 * credentials), `tables/<id>.json` (rows), `audit.jsonl` (admin actions) and `refusals.jsonl` (refused requests). Holds the directory lock until close.
 * Pass each table with its definition's key field, so rows are found by that key.
 */
export async function openLowdbStore(dir: string, tables: readonly TableKey[], log: Logger = silentLogger): Promise<OpenedStore> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(dir);
  try {
    const securityPath = join(dir, 'security.json');
    const isNew = !existsSync(securityPath);
    const auditFile = (name: string) =>
      new JsonLinesAuditLog(join(dir, name), DEFAULT_AUDIT_MAX_BYTES, (error) => log.error('audit_write_failed', { file: name, message: error.message }));
    const audit = new SplitAuditLog(auditFile('audit.jsonl'), auditFile('refusals.jsonl'));
    const security = await LowdbSecurityRepository.open(securityPath, audit);
    const rows = await LowdbRowRepository.open(join(dir, 'tables'), tables, audit);
    return {
      isNew,
      security,
      rows,
      audit,
      // The directory is this process's (locked) and in memory: it answers while it is open.
      ready: async () => true,
      async close() {
        try {
          await security.close();
          await rows.close();
          await audit.flush();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
