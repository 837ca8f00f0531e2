import type { AuditEntry, AuditLog, Credential, Organization, SecurityReads, Store, StoredRow } from './types';

/**
 * What a copy reads: the store interface, plus the whole-table reads that only a store held in
 * memory offers cheaply (every credential, a deleted user's too; every row of a table).
 */
export interface CopySource {
  readonly security: SecurityReads & { listAllCredentials(): readonly Credential[] | Promise<readonly Credential[]> };
  readonly rows: { list(tableId: string): readonly StoredRow[] | Promise<readonly StoredRow[]> };
  readonly audit: Pick<AuditLog, 'list'>;
}

export interface CopyOptions {
  /** The tables whose rows are copied, with their definitions' key fields. */
  tables: readonly { id: string; key: string }[];
  /**
   * Each credential as it is to be written; as it is when absent. Called for every credential
   * before anything is written, so a throw (a key that does not open) leaves the target untouched.
   */
  credential?: (credential: Credential) => Credential;
}

export interface CopyCounts {
  users: number;
  organizations: number;
  teams: number;
  credentials: number;
  rows: number;
  tables: number;
  audit: number;
}

/** The target holds data already: a copy would mix two stores (and collide on ids). */
export class TargetNotEmptyError extends Error {
  constructor(what: string) {
    super(`The target store is not empty (it holds ${what}); copy only into an empty database.`);
    this.name = 'TargetNotEmptyError';
  }
}

/** Every entry: the audit logs are bounded, so this is the whole log. */
const WHOLE_LOG = Number.MAX_SAFE_INTEGER;

/**
 * Copies a store into an empty one through the store interface, so it holds for any pair of
 * adapters. Entities keep their ids, time stamps and usage (`lastUsedAt`, `lastUsedIp`); audit
 * entries keep their time stamps and order. Rows go first, the security model and the audit log
 * last in one transaction: a copy cut short leaves a target nobody can sign in to, not one that
 * answers with some of its rows missing.
 */
export async function copyStore(from: CopySource, to: Store, options: CopyOptions): Promise<CopyCounts> {
  const [users, organizations, teams, credentials, newestFirst] = await Promise.all([
    from.security.listUsers(),
    from.security.listOrganizations(),
    from.security.listTeams(),
    from.security.listAllCredentials(),
    from.audit.list(WHOLE_LOG),
  ]);
  const written = options.credential ? credentials.map(options.credential) : credentials;
  await requireEmpty(to, options.tables);

  let rowCount = 0;
  for (const table of options.tables) {
    const rows = await from.rows.list(table.id);
    if (rows.length === 0) continue;
    rowCount += await to.rows.upsert(table.id, table.key, [...rows]);
  }
  await to.security.transaction(async (tx) => {
    for (const org of parentsFirst(organizations)) await tx.insertOrganization(org);
    for (const team of teams) await tx.insertTeam(team);
    for (const user of users) await tx.insertUser(user);
    for (const credential of written) await tx.insertCredential(credential);
    for (const entry of oldestFirst(newestFirst)) tx.audit(entry);
  });
  return {
    users: users.length,
    organizations: organizations.length,
    teams: teams.length,
    credentials: written.length,
    rows: rowCount,
    tables: options.tables.length,
    audit: newestFirst.length,
  };
}

/** Refuses a store that holds anything a copy would write (a `serve` seeds the demo into a new one). */
async function requireEmpty(store: Store, tables: CopyOptions['tables']): Promise<void> {
  const users = await store.security.countUsers();
  if (users > 0) throw new TargetNotEmptyError(`${users} users`);
  if ((await store.security.listOrganizations()).length > 0) throw new TargetNotEmptyError('organizations');
  if ((await store.security.listTeams()).length > 0) throw new TargetNotEmptyError('teams');
  for (const table of tables) {
    const rows = await store.rows.count(table.id);
    if (rows > 0) throw new TargetNotEmptyError(`${rows} rows of "${table.id}"`);
  }
  if ((await store.audit.list(1)).length > 0) throw new TargetNotEmptyError('audit entries');
}

/** A client organization names its provider, which must exist first. */
function parentsFirst(organizations: readonly Organization[]): Organization[] {
  const done = new Set<string>();
  const ordered: Organization[] = [];
  let pending = [...organizations];
  while (pending.length > 0) {
    const ready = pending.filter((org) => org.parent === null || done.has(org.parent) || !pending.some((other) => other.id === org.parent));
    // A parent that is in no list at all is left for the target to refuse, rather than skipped here.
    const next = ready.length > 0 ? ready : pending;
    for (const org of next) {
      ordered.push(org);
      done.add(org.id);
    }
    pending = pending.filter((org) => !done.has(org.id));
  }
  return ordered;
}

function oldestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  return [...entries].reverse();
}
