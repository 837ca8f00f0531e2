import type { z } from '@hono/zod-openapi';
import {
  ADMIN_KEY_HEADER,
  KEY_HEADER,
  TOKEN_HEADER,
  type DataFormat,
  type ErrorBody,
  type ErrorCode,
  type MeResponse,
  type TableList,
  type TablePage,
} from '../../connector/contract';
import type { CredentialSchema, IssuedCredentialSchema, NewCredentialBody } from '../../connector/domain/credential';
import type { NewOrganizationBody, NewTeamBody, OrganizationSchema, TeamSchema } from '../../connector/domain/organization';
import type { GrantsBody, NewUserBody, SettingsBody, UserChangesBody, UserSchema } from '../../connector/domain/user';
import type {
  AuditPageSchema,
  TokenAndKeySchema,
  UserPageSchema,
} from '../../connector/routes/admin-schemas';
import type { TableDefinitionSchema } from '../../connector/routes/table-schemas';

// The console's one way to the connector: every admin route it uses, typed by the connector's own
// route schemas (type-only imports, so no schema code reaches the browser).

export type User = z.infer<typeof UserSchema>;
export type UserPage = z.infer<typeof UserPageSchema>;
export type NewUser = z.input<typeof NewUserBody>;
export type UserChanges = z.input<typeof UserChangesBody>;
export type Credential = z.infer<typeof CredentialSchema>;
export type IssuedCredential = z.infer<typeof IssuedCredentialSchema>;
export type TokenAndKey = z.infer<typeof TokenAndKeySchema>;
export type NewCredential = z.input<typeof NewCredentialBody>;
export type Grants = z.infer<typeof GrantsBody>;
export type Settings = z.infer<typeof SettingsBody>;
export type Organization = z.infer<typeof OrganizationSchema>;
export type NewOrganization = z.input<typeof NewOrganizationBody>;
export type Team = z.infer<typeof TeamSchema>;
export type NewTeam = z.input<typeof NewTeamBody>;
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type AuditEntry = AuditPage['entries'][number];
export type TableDefinition = z.infer<typeof TableDefinitionSchema>;
export type ApiAccess = { authorized: boolean; credentials: Credential[] };
export type AccessChange = { authorized: true; credential: IssuedCredential } | { authorized: false };

/** How the admin signed in: its own pair, or the operator's global admin key. */
export type SignIn = { kind: 'pair'; token: string; key: string } | { kind: 'admin-key'; adminKey: string };

export interface UserQuery {
  q?: string;
  limit?: number;
  cursor?: string | null;
}

export interface AuditQuery {
  limit?: number;
  cursor?: string | null;
  actor?: string;
  action?: string;
  target?: string;
  outcome?: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A refusal or failure, with the connector's own sentence (or one of ours when it gave none). */
export class ConsoleError extends Error {
  constructor(
    readonly code: ErrorCode | 'unreachable' | 'bad_response',
    message: string,
    readonly status = 0,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConsoleError';
  }
}

export class AdminClient {
  private readonly headers: Record<string, string>;

  /** `base` is the connector's origin (the console is served by it); `fetchFn` is for tests. */
  constructor(
    readonly signIn: SignIn,
    private readonly base: string,
    private readonly fetchFn: FetchLike = (input, init) => fetch(input, init),
  ) {
    this.headers =
      signIn.kind === 'pair' ? { [TOKEN_HEADER]: signIn.token, [KEY_HEADER]: signIn.key } : { [ADMIN_KEY_HEADER]: signIn.adminKey };
  }

  /** Who signed in; null for the admin key, which is no user. */
  me(): Promise<MeResponse | null> {
    return this.signIn.kind === 'pair' ? this.call<MeResponse>('GET', '/v1/me') : Promise.resolve(null);
  }

  listUsers(query: UserQuery = {}): Promise<UserPage> {
    return this.call('GET', `/admin/users${queryString({ ...query })}`);
  }
  getUser(id: string): Promise<User> {
    return this.call('GET', userPath(id));
  }
  createUser(user: NewUser): Promise<User> {
    return this.call('POST', '/admin/users', user);
  }
  updateUser(id: string, changes: UserChanges): Promise<User> {
    return this.call('PATCH', userPath(id), changes);
  }
  deleteUser(id: string): Promise<void> {
    return this.call('DELETE', userPath(id));
  }

  getApiAccess(id: string): Promise<ApiAccess> {
    return this.call('GET', `${userPath(id)}/api-access`);
  }
  setApiAccess(id: string, authorized: boolean): Promise<AccessChange> {
    return this.call('PUT', `${userPath(id)}/api-access`, { authorized });
  }
  newCredential(id: string, credential: NewCredential): Promise<IssuedCredential> {
    return this.call('POST', `${userPath(id)}/credentials`, credential);
  }
  copyKey(id: string, cid: string): Promise<TokenAndKey> {
    return this.call('GET', `${credentialPath(id, cid)}/key`);
  }
  regenerate(id: string, cid: string): Promise<TokenAndKey> {
    return this.call('POST', `${credentialPath(id, cid)}/regenerate`);
  }
  revoke(id: string, cid: string): Promise<void> {
    return this.call('DELETE', credentialPath(id, cid));
  }

  async setGrants(id: string, grants: Grants): Promise<Grants> {
    return (await this.call<{ grants: Grants }>('PUT', `${userPath(id)}/grants`, grants)).grants;
  }
  async setSettings(id: string, settings: Settings): Promise<Settings> {
    return (await this.call<{ settings: Settings }>('PUT', `${userPath(id)}/settings`, settings)).settings;
  }

  async organizations(): Promise<Organization[]> {
    return (await this.call<{ organizations: Organization[] }>('GET', '/admin/organizations')).organizations;
  }
  createOrganization(organization: NewOrganization): Promise<Organization> {
    return this.call('POST', '/admin/organizations', organization);
  }
  async teams(): Promise<Team[]> {
    return (await this.call<{ teams: Team[] }>('GET', '/admin/teams')).teams;
  }
  createTeam(team: NewTeam): Promise<Team> {
    return this.call('POST', '/admin/teams', team);
  }

  audit(query: AuditQuery = {}): Promise<AuditPage> {
    return this.call('GET', `/admin/audit${queryString({ ...query })}`);
  }

  /** Every table definition (system admins and the admin key). */
  async tableDefinitions(): Promise<TableDefinition[]> {
    return (await this.call<{ tables: TableDefinition[] }>('GET', '/admin/tables')).tables;
  }

  /** Upserts rows by key, all or nothing (system admins and the admin key). */
  importRows(table: string, rows: unknown[]): Promise<{ upserted: number }> {
    return this.call('POST', `/admin/tables/${encodeURIComponent(table)}/rows`, { rows });
  }

  /** The tables the signed-in admin may read itself, with its own highest format on each. */
  async ownTables(): Promise<TableList['tables']> {
    return (await this.call<TableList>('GET', '/v1/tables')).tables;
  }

  /** One page of a table as the signed-in admin reads it: what it could hand out is what it sees. */
  ownRows(table: string, format: DataFormat, cursor: string | null, limit = 10000): Promise<TablePage> {
    return this.call('GET', `/v1/tables/${encodeURIComponent(table)}${queryString({ format, limit, cursor })}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers: body === undefined ? this.headers : { ...this.headers, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      // The cause (refused, TLS not trusted, ...) is for the CLI, which can say what to do about it.
      throw new ConsoleError('unreachable', 'The connector did not answer. Check that it is running, then try again.', 0, { cause: error });
    }
    if (response.status === 204) return undefined as T;
    const parsed = (await response.json().catch(() => undefined)) as unknown;
    if (!response.ok) {
      const error = (parsed as Partial<ErrorBody> | undefined)?.error;
      if (error && typeof error.message === 'string') throw new ConsoleError(error.code, error.message, response.status);
      throw new ConsoleError('bad_response', `The connector answered ${response.status} without saying why.`, response.status);
    }
    if (parsed === undefined) throw new ConsoleError('bad_response', 'The connector sent an answer the console cannot read.', response.status);
    return parsed as T;
  }
}

function userPath(id: string): string {
  return `/admin/users/${encodeURIComponent(id)}`;
}

function credentialPath(id: string, cid: string): string {
  return `${userPath(id)}/credentials/${encodeURIComponent(cid)}`;
}

/** `?a=1&b=2` of the parameters that are set; empty strings and nulls are left out. */
function queryString(params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
