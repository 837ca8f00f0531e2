import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Low } from 'lowdb';
import { ApiError } from '../../errors';
import type {
  AuditEntry,
  AuditLog,
  Credential,
  CredentialHolder,
  Organization,
  SecurityRepository,
  SecurityState,
  SecurityTransaction,
  Team,
  User,
} from '../types';
import { DurableJsonFile } from './durable-json-file';
import { GroupCommit } from './group-commit';
import { Journal } from './journal';
import { checkLists, checkSchemaVersion, SCHEMA_VERSION, type Versioned } from './schema';

type SecurityFile = SecurityState & Versioned;

const USAGE_FLUSH_MS = 5000;

/** The journal is folded into the file once it outgrows the file (and at least this). */
const MIN_COMPACT_BYTES = 1024 * 1024;

type Kind = 'users' | 'credentials' | 'organizations' | 'teams';
const KINDS: readonly Kind[] = ['users', 'credentials', 'organizations', 'teams'];

/** One committed change: the full new state of every entity it touched, or its removal. */
type JournalLine = Partial<Record<Kind, { put?: Array<{ id: string }>; remove?: string[] }>>;

/** `security.json` → `security.journal`. */
export function journalPathFor(path: string): string {
  return path.replace(/\.json$/, '') + '.journal';
}

/**
 * The security model's lowdb file, with in-memory indexes for O(1) lookups. Each committed change
 * is one fsynced journal line (`security.journal`), not a rewrite of the whole file: the file is
 * rewritten only when the journal outgrows it, and on close (see journal.ts).
 */
export class LowdbSecurityRepository implements SecurityRepository {
  private readonly usersById = new Map<string, User>();
  private readonly usersByUsername = new Map<string, User>();
  private readonly usersByEmail = new Map<string, User>();
  private readonly credentialsById = new Map<string, Credential>();
  private readonly credentialsByToken = new Map<string, Credential>();
  private readonly credentialsByUser = new Map<string, Credential[]>();
  private readonly writer: GroupCommit;
  private usageTimer: NodeJS.Timeout | null = null;
  /** Credentials whose last use is not journaled yet. */
  private readonly usedSinceFlush = new Set<string>();
  private compactRequested = false;
  /** The end of the queue of transactions: each runs alone, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Low<SecurityFile>,
    private readonly path: string,
    private readonly audit: AuditLog,
    private readonly journal: Journal,
    /** No file yet (a new data directory): the first write makes it. */
    private fileMissing: boolean,
    private fileBytes: number,
  ) {
    this.writer = new GroupCommit(() => this.persist());
    for (const user of db.data.users) this.indexUser(user);
    for (const credential of db.data.credentials) this.indexCredential(credential);
  }

  static async open(path: string, audit: AuditLog): Promise<LowdbSecurityRepository> {
    const db = new Low<SecurityFile>(new DurableJsonFile(path), {
      schemaVersion: SCHEMA_VERSION,
      users: [],
      organizations: [],
      teams: [],
      credentials: [],
    });
    await db.read();
    checkSchemaVersion(path, db.data);
    checkLists(path, db.data, ['users', 'organizations', 'teams', 'credentials']);
    const fileMissing = !existsSync(path);
    const fileBytes = fileMissing ? 0 : (await stat(path)).size;
    const { journal, lines } = await Journal.open(journalPathFor(path));
    replay(db.data, lines);
    return new LowdbSecurityRepository(db, path, audit, journal, fileMissing, fileBytes);
  }

  // Reads answer from memory; they are async only because the interface is (PostgreSQL's are not).
  async listUsers(): Promise<readonly User[]> {
    return this.db.data.users;
  }
  async listUsersByUsername(after: string | undefined, limit: number): Promise<readonly User[]> {
    // Sorted per call: the embedded store is for thousands of users, where this is a few ms.
    const names = [...this.usersByUsername.keys()].filter((name) => after === undefined || name > after).sort();
    return names.slice(0, limit).map((name) => this.usersByUsername.get(name) as User);
  }
  async getUser(id: string): Promise<User | undefined> {
    return this.usersById.get(id);
  }
  async findUserByUsername(username: string): Promise<User | undefined> {
    return this.usersByUsername.get(username.toLowerCase());
  }
  async findUserByEmail(email: string): Promise<User | undefined> {
    return this.usersByEmail.get(email.toLowerCase());
  }
  async countUsers(): Promise<number> {
    return this.db.data.users.length;
  }
  async listOrganizations(): Promise<readonly Organization[]> {
    return this.db.data.organizations;
  }
  async getOrganization(id: string): Promise<Organization | undefined> {
    return this.organization(id);
  }
  async listTeams(): Promise<readonly Team[]> {
    return this.db.data.teams;
  }
  async getTeam(id: string): Promise<Team | undefined> {
    return this.team(id);
  }
  async findCredentialByToken(token: string): Promise<Credential | undefined> {
    return this.credentialsByToken.get(token);
  }
  async findPrincipal(token: string): Promise<CredentialHolder | undefined> {
    const credential = this.credentialsByToken.get(token);
    if (!credential) return undefined;
    const user = this.usersById.get(credential.userId);
    const held = new Set(user?.organizations);
    const organizations = held.size === 0 ? [] : this.db.data.organizations.filter((org) => held.has(org.id) || (org.parent !== null && held.has(org.parent)));
    return { credential, user, organizations };
  }
  async getCredential(id: string): Promise<Credential | undefined> {
    return this.credentialsById.get(id);
  }
  async listCredentials(userId: string): Promise<readonly Credential[]> {
    return this.credentialsByUser.get(userId) ?? [];
  }
  /** Every credential, a deleted user's too: the embedded store's own view (copy-store). */
  listAllCredentials(): readonly Credential[] {
    return this.db.data.credentials;
  }

  /**
   * The embedded store's transaction: one at a time, in call order (the serialized writer), its
   * changes applied in memory as it goes (so its reads see them) and undone if it throws. Its
   * journal line is queued before the next transaction starts, so lines keep the commit order; the
   * answer waits until the line is fsynced, then until its audit entries are on disk.
   */
  transaction<T>(change: (tx: SecurityTransaction) => Promise<T>): Promise<T> {
    const run = async () => {
      const undo: Array<() => void> = [];
      const touched: Array<[Kind, string]> = [];
      const audited: AuditEntry[] = [];
      let result: T;
      try {
        result = await change(this.draft(undo, touched, audited));
      } catch (error) {
        for (const step of undo.reverse()) step();
        throw error;
      }
      if (touched.length > 0) this.journal.add(this.lineFor(touched));
      return { result, audited };
    };
    const applied = this.queue.then(run);
    this.queue = applied.catch(() => {});
    return applied.then(async ({ result, audited }) => {
      await this.writer.commit();
      for (const entry of audited) await this.audit.appendDurably(entry);
      return result;
    });
  }

  recordCredentialUse(credentialId: string, at: string, ip: string): void {
    const credential = this.credentialsById.get(credentialId);
    if (!credential) return;
    credential.lastUsedAt = at;
    credential.lastUsedIp = ip;
    this.usedSinceFlush.add(credentialId);
    if (this.usageTimer) return;
    this.usageTimer = setTimeout(() => {
      this.usageTimer = null;
      this.journalUsage();
      this.writer.commit().catch(() => {});
    }, USAGE_FLUSH_MS);
    this.usageTimer.unref();
  }

  /** Finishes pending writes and folds the journal into the file, so a closed directory is one file. */
  async close(): Promise<void> {
    if (this.usageTimer) {
      clearTimeout(this.usageTimer);
      this.usageTimer = null;
    }
    try {
      this.journalUsage();
      if (this.journal.hasPending || this.journal.bytes > 0) {
        this.compactRequested = true;
        await this.writer.commit();
      }
      await this.writer.settle();
    } finally {
      await this.journal.close();
    }
  }

  /** The one writer's step: append the queued lines (fsynced); rewrite the file when due. */
  private async persist(): Promise<void> {
    await this.journal.flush();
    if (!this.fileMissing && !this.compactRequested && this.journal.bytes <= Math.max(MIN_COMPACT_BYTES, this.fileBytes)) return;
    // The file gets every change made in memory so far; lines still queued replay harmlessly over it.
    this.compactRequested = false;
    await this.db.write();
    this.fileMissing = false;
    this.fileBytes = (await stat(this.path)).size;
    await this.journal.reset();
  }

  private journalUsage(): void {
    if (this.usedSinceFlush.size === 0) return;
    const touched = [...this.usedSinceFlush].map((id): [Kind, string] => ['credentials', id]);
    this.usedSinceFlush.clear();
    this.journal.add(this.lineFor(touched));
  }

  private lineFor(touched: ReadonlyArray<readonly [Kind, string]>): string {
    const line: JournalLine = {};
    const seen = new Set<string>();
    for (const [kind, id] of touched) {
      const key = `${kind} ${id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const current = this.find(kind, id);
      const entry = (line[kind] ??= {});
      if (current) (entry.put ??= []).push(current);
      else (entry.remove ??= []).push(id);
    }
    return JSON.stringify(line);
  }

  private find(kind: Kind, id: string): { id: string } | undefined {
    switch (kind) {
      case 'users':
        return this.usersById.get(id);
      case 'credentials':
        return this.credentialsById.get(id);
      case 'organizations':
        return this.organization(id);
      case 'teams':
        return this.team(id);
    }
  }

  private organization(id: string): Organization | undefined {
    return this.db.data.organizations.find((org) => org.id === id);
  }

  private team(id: string): Team | undefined {
    return this.db.data.teams.find((team) => team.id === id);
  }

  private draft(undo: Array<() => void>, touched: Array<[Kind, string]>, audited: AuditEntry[]): SecurityTransaction {
    const data = this.db.data;
    const draft: SecurityTransaction = {
      listUsers: () => this.listUsers(),
      listUsersByUsername: (after, limit) => this.listUsersByUsername(after, limit),
      getUser: (id) => this.getUser(id),
      findUserByUsername: (username) => this.findUserByUsername(username),
      findUserByEmail: (email) => this.findUserByEmail(email),
      countUsers: () => this.countUsers(),
      listOrganizations: () => this.listOrganizations(),
      getOrganization: (id) => this.getOrganization(id),
      listTeams: () => this.listTeams(),
      getTeam: (id) => this.getTeam(id),
      findCredentialByToken: (token) => this.findCredentialByToken(token),
      findPrincipal: (token) => this.findPrincipal(token),
      getCredential: (id) => this.getCredential(id),
      listCredentials: (userId) => this.listCredentials(userId),
      audit: (entry) => {
        audited.push(entry);
      },
      insertUser: async (user) => {
        if (this.usersByUsername.has(user.username.toLowerCase())) {
          throw new ApiError('conflict', `The username "${user.username}" is already taken.`);
        }
        if (this.usersByEmail.has(user.email.toLowerCase())) {
          throw new ApiError('conflict', `The e-mail address "${user.email}" is already in use.`);
        }
        data.users.push(user);
        this.indexUser(user);
        touched.push(['users', user.id]);
        undo.push(() => {
          data.users.splice(data.users.indexOf(user), 1);
          this.unindexUser(user);
        });
      },
      patchUser: async (id, patch) => {
        const user = this.usersById.get(id);
        if (!user) throw new ApiError('not_found', 'No such user.');
        const clash = (patch.username && this.usersByUsername.get(patch.username.toLowerCase())) ||
          (patch.email && this.usersByEmail.get(patch.email.toLowerCase()));
        if (clash && clash !== user) {
          throw new ApiError('conflict', 'Another user already has that username or e-mail address.');
        }
        const before = { ...user };
        this.unindexUser(user);
        Object.assign(user, patch);
        this.indexUser(user);
        touched.push(['users', user.id]);
        undo.push(() => {
          this.unindexUser(user);
          Object.assign(user, before);
          this.indexUser(user);
        });
        return user;
      },
      removeUser: async (id) => {
        const user = this.usersById.get(id);
        if (!user) throw new ApiError('not_found', 'No such user.');
        const index = data.users.indexOf(user);
        data.users.splice(index, 1);
        this.unindexUser(user);
        touched.push(['users', user.id]);
        undo.push(() => {
          data.users.splice(index, 0, user);
          this.indexUser(user);
        });
      },
      insertOrganization: async (org) => {
        if (data.organizations.some((other) => other.name.toLowerCase() === org.name.toLowerCase())) {
          throw new ApiError('conflict', `An organization named "${org.name}" already exists.`);
        }
        data.organizations.push(org);
        touched.push(['organizations', org.id]);
        undo.push(() => data.organizations.splice(data.organizations.indexOf(org), 1));
      },
      insertTeam: async (team) => {
        if (data.teams.some((other) => other.name.toLowerCase() === team.name.toLowerCase())) {
          throw new ApiError('conflict', `A team named "${team.name}" already exists.`);
        }
        data.teams.push(team);
        touched.push(['teams', team.id]);
        undo.push(() => data.teams.splice(data.teams.indexOf(team), 1));
      },
      insertCredential: async (credential) => {
        data.credentials.push(credential);
        this.indexCredential(credential);
        touched.push(['credentials', credential.id]);
        undo.push(() => {
          data.credentials.splice(data.credentials.indexOf(credential), 1);
          this.unindexCredential(credential);
        });
      },
      insertCredentialBelowCap: async (credential, cap) => {
        const live = (await this.listCredentials(credential.userId)).filter((held) => !held.revokedAt).length;
        if (live < cap) await draft.insertCredential(credential);
        return live;
      },
      patchCredential: async (id, patch) => {
        const credential = this.credentialsById.get(id);
        if (!credential) throw new ApiError('not_found', 'No such credential.');
        const before = { ...credential };
        this.credentialsByToken.delete(credential.token);
        Object.assign(credential, patch);
        this.credentialsByToken.set(credential.token, credential);
        touched.push(['credentials', credential.id]);
        undo.push(() => {
          this.credentialsByToken.delete(credential.token);
          Object.assign(credential, before);
          this.credentialsByToken.set(credential.token, credential);
        });
        return credential;
      },
    };
    return draft;
  }

  private indexUser(user: User): void {
    this.usersById.set(user.id, user);
    this.usersByUsername.set(user.username.toLowerCase(), user);
    this.usersByEmail.set(user.email.toLowerCase(), user);
  }
  private unindexUser(user: User): void {
    this.usersById.delete(user.id);
    this.usersByUsername.delete(user.username.toLowerCase());
    this.usersByEmail.delete(user.email.toLowerCase());
  }
  private indexCredential(credential: Credential): void {
    this.credentialsById.set(credential.id, credential);
    this.credentialsByToken.set(credential.token, credential);
    const list = this.credentialsByUser.get(credential.userId) ?? [];
    if (!list.includes(credential)) list.push(credential);
    this.credentialsByUser.set(credential.userId, list);
  }
  private unindexCredential(credential: Credential): void {
    this.credentialsById.delete(credential.id);
    this.credentialsByToken.delete(credential.token);
    const list = this.credentialsByUser.get(credential.userId) ?? [];
    const index = list.indexOf(credential);
    if (index >= 0) list.splice(index, 1);
  }
}

/**
 * Applies journal lines, oldest first, over the file's state: each entity a line puts replaces the
 * one with its id (or is appended), each it removes goes. Lines the file already holds change nothing.
 */
function replay(data: SecurityFile, lines: readonly unknown[]): void {
  if (lines.length === 0) return;
  for (const kind of KINDS) {
    const list = data[kind] as Array<{ id: string } | null>;
    const at = new Map(list.map((item, index) => [item!.id, index]));
    let removed = false;
    for (const line of lines as JournalLine[]) {
      const entry = line?.[kind];
      if (!entry) continue;
      for (const item of entry.put ?? []) {
        const index = at.get(item.id);
        if (index === undefined) {
          at.set(item.id, list.length);
          list.push(item);
        } else {
          list[index] = item;
        }
      }
      for (const id of entry.remove ?? []) {
        const index = at.get(id);
        if (index === undefined) continue;
        list[index] = null;
        at.delete(id);
        removed = true;
      }
    }
    if (removed) (data as unknown as Record<Kind, unknown[]>)[kind] = list.filter((item) => item !== null);
  }
}
