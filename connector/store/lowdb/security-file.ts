import { Low } from 'lowdb';
import { ApiError } from '../../errors';
import type {
  Credential,
  Organization,
  SecurityDraft,
  SecurityRepository,
  SecurityState,
  Team,
  User,
} from '../types';
import { DurableJsonFile } from './durable-json-file';
import { GroupCommit } from './group-commit';
import { checkLists, checkSchemaVersion, SCHEMA_VERSION, type Versioned } from './schema';

type SecurityFile = SecurityState & Versioned;

const USAGE_FLUSH_MS = 5000;

/** The security model's lowdb file, with in-memory indexes for O(1) lookups. */
export class LowdbSecurityRepository implements SecurityRepository {
  private readonly usersById = new Map<string, User>();
  private readonly usersByUsername = new Map<string, User>();
  private readonly usersByEmail = new Map<string, User>();
  private readonly credentialsById = new Map<string, Credential>();
  private readonly credentialsByToken = new Map<string, Credential>();
  private readonly credentialsByUser = new Map<string, Credential[]>();
  private readonly writer: GroupCommit;
  private usageTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly db: Low<SecurityFile>) {
    this.writer = new GroupCommit(() => db.write());
    for (const user of db.data.users) this.indexUser(user);
    for (const credential of db.data.credentials) this.indexCredential(credential);
  }

  static async open(path: string): Promise<LowdbSecurityRepository> {
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
    return new LowdbSecurityRepository(db);
  }

  listUsers(): readonly User[] {
    return this.db.data.users;
  }
  getUser(id: string): User | undefined {
    return this.usersById.get(id);
  }
  findUserByUsername(username: string): User | undefined {
    return this.usersByUsername.get(username.toLowerCase());
  }
  findUserByEmail(email: string): User | undefined {
    return this.usersByEmail.get(email.toLowerCase());
  }
  countUsers(): number {
    return this.db.data.users.length;
  }
  listOrganizations(): readonly Organization[] {
    return this.db.data.organizations;
  }
  getOrganization(id: string): Organization | undefined {
    return this.db.data.organizations.find((org) => org.id === id);
  }
  listTeams(): readonly Team[] {
    return this.db.data.teams;
  }
  getTeam(id: string): Team | undefined {
    return this.db.data.teams.find((team) => team.id === id);
  }
  findCredentialByToken(token: string): Credential | undefined {
    return this.credentialsByToken.get(token);
  }
  getCredential(id: string): Credential | undefined {
    return this.credentialsById.get(id);
  }
  listCredentials(userId: string): readonly Credential[] {
    return this.credentialsByUser.get(userId) ?? [];
  }

  async update<T>(change: (draft: SecurityDraft) => T): Promise<T> {
    const undo: Array<() => void> = [];
    let result: T;
    try {
      result = change(this.draft(undo));
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    }
    await this.writer.commit();
    return result;
  }

  recordCredentialUse(credentialId: string, at: string, ip: string): void {
    const credential = this.credentialsById.get(credentialId);
    if (!credential) return;
    credential.lastUsedAt = at;
    credential.lastUsedIp = ip;
    if (this.usageTimer) return;
    this.usageTimer = setTimeout(() => {
      this.usageTimer = null;
      this.writer.commit().catch(() => {});
    }, USAGE_FLUSH_MS);
    this.usageTimer.unref();
  }

  async close(): Promise<void> {
    if (this.usageTimer) {
      clearTimeout(this.usageTimer);
      this.usageTimer = null;
      await this.writer.commit();
    }
    await this.writer.settle();
  }

  private draft(undo: Array<() => void>): SecurityDraft {
    const data = this.db.data;
    return {
      state: data,
      insertUser: (user) => {
        if (this.usersByUsername.has(user.username.toLowerCase())) {
          throw new ApiError('conflict', `The username "${user.username}" is already taken.`);
        }
        if (this.usersByEmail.has(user.email.toLowerCase())) {
          throw new ApiError('conflict', `The e-mail address "${user.email}" is already in use.`);
        }
        data.users.push(user);
        this.indexUser(user);
        undo.push(() => {
          data.users.splice(data.users.indexOf(user), 1);
          this.unindexUser(user);
        });
      },
      patchUser: (id, patch) => {
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
        undo.push(() => {
          this.unindexUser(user);
          Object.assign(user, before);
          this.indexUser(user);
        });
        return user;
      },
      removeUser: (id) => {
        const user = this.usersById.get(id);
        if (!user) throw new ApiError('not_found', 'No such user.');
        const index = data.users.indexOf(user);
        data.users.splice(index, 1);
        this.unindexUser(user);
        undo.push(() => {
          data.users.splice(index, 0, user);
          this.indexUser(user);
        });
      },
      insertOrganization: (org) => {
        data.organizations.push(org);
        undo.push(() => data.organizations.splice(data.organizations.indexOf(org), 1));
      },
      insertTeam: (team) => {
        data.teams.push(team);
        undo.push(() => data.teams.splice(data.teams.indexOf(team), 1));
      },
      insertCredential: (credential) => {
        data.credentials.push(credential);
        this.indexCredential(credential);
        undo.push(() => {
          data.credentials.splice(data.credentials.indexOf(credential), 1);
          this.unindexCredential(credential);
        });
      },
      patchCredential: (id, patch) => {
        const credential = this.credentialsById.get(id);
        if (!credential) throw new ApiError('not_found', 'No such credential.');
        const before = { ...credential };
        this.credentialsByToken.delete(credential.token);
        Object.assign(credential, patch);
        this.credentialsByToken.set(credential.token, credential);
        undo.push(() => {
          this.credentialsByToken.delete(credential.token);
          Object.assign(credential, before);
          this.credentialsByToken.set(credential.token, credential);
        });
        return credential;
      },
    };
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
