import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../connector/contract';
import { seedDemoData } from '../../connector/demo/seed-data';
import { createTestContext, type TestContext, STILL_CLOCK, type TestUser } from '../helpers/harness';

/**
 * /openapi.json as third parties read it: two independent linters find no error in it, and the
 * answers of a whole admin and analyst workflow (errors included) are what it says, checked by ajv
 * against the operation's schema for the status actually sent, and its declared headers.
 */

const run = promisify(execFile);
const bin = (name: string) => resolve(import.meta.dirname, '../../node_modules/.bin', name);

interface Header {
  required?: boolean;
  schema: object;
}
interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; schema: Record<string, unknown> }>;
  responses: Record<string, { headers?: Record<string, Header>; content?: Record<string, { schema: object }> }>;
}
interface OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, any> };
}

let ctx: TestContext;
let doc: OpenApiDocument;
let dir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoData(ctx.services.store, ctx.services.tables);
  doc = (await (await ctx.request('GET', '/openapi.json')).json()) as OpenApiDocument;
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-openapi-'));
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc, null, 2));
});

afterAll(async () => {
  await ctx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));

describe('the linters', () => {
  it('@redocly/cli (recommended rules) finds no error', async () => {
    const { stdout } = await run(bin('redocly'), ['lint', join(dir, 'openapi.json'), '--format=json'], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number }; problems: Array<{ severity: string; message: string }> };
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  it('@stoplight/spectral-cli (spectral:oas) finds no error', async () => {
    await writeFile(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
    const { stdout } = await run(bin('spectral'), ['lint', '--ruleset', join(dir, '.spectral.yaml'), '--format', 'json', '--quiet', join(dir, 'openapi.json')], {
      cwd: dir,
    }).catch((error: { stdout: string }) => error);
    const results = JSON.parse(stdout) as Array<{ severity: number; code: string; message: string; path: string[] }>;
    // Severity 0 is an error; the run itself must have produced a report, not crashed.
    expect(Array.isArray(results)).toBe(true);
    expect(results.filter((result) => result.severity === 0)).toEqual([]);
  }, 60_000);
});

describe('what the document declares', () => {
  it('an operationId per operation, unique, and a server', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.servers?.[0]?.url).toBe('http://localhost');
  });

  it('Error.code is exactly the contract\'s codes', () => {
    expect(doc.components.schemas.Error.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_STATUS));
  });

  it('public routes need no credentials; every /v1 and /admin route declares the guards\' errors, 404 with ids, and no-store', () => {
    const problems: string[] = [];
    for (const { path, method, operation } of operations()) {
      const id = `${method} ${path}`;
      const statuses = Object.keys(operation.responses);
      if (!path.startsWith('/v1/') && !path.startsWith('/admin/')) {
        if (JSON.stringify(operation.security) !== '[]') problems.push(`${id}: not security: []`);
        continue;
      }
      if (!operation.security?.length) problems.push(`${id}: no security`);
      for (const status of ['400', '401', '403', '413', '429']) if (!statuses.includes(status)) problems.push(`${id}: no ${status}`);
      if (path.includes('{') && !statuses.includes('404')) problems.push(`${id}: takes an id, no 404`);
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response.headers?.['Cache-Control']?.required) problems.push(`${id} ${status}: no Cache-Control`);
      }
      if (!operation.responses['429']?.headers?.['Retry-After']?.required) problems.push(`${id}: 429 without Retry-After`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(doc.paths['/readyz']!.get!.responses)).toContain('503');
  });

  it('types the query parameters of the data and admin listings', () => {
    const param = (path: string, name: string) => doc.paths[path]!.get!.parameters!.find((p) => p.name === name)!.schema;
    expect(param('/v1/tables/{table}', 'format')).toMatchObject({ type: 'string', enum: ['basic', 'standard', 'detail', 'expanded'] });
    expect(param('/v1/tables/{table}/rows/{key}', 'format')).toMatchObject({ enum: ['basic', 'standard', 'detail', 'expanded'] });
    expect(param('/v1/tables/{table}', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
    expect(param('/admin/users', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });
    expect(param('/admin/audit', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 10000 });
    for (const name of ['cursor', 'actor', 'action', 'target', 'outcome']) expect(param('/admin/audit', name)).toMatchObject({ type: 'string' });
    expect(doc.components.schemas.User.properties.createdAt).toMatchObject({ format: 'date-time' });
  });
});

describe('live answers of a whole workflow match the document', () => {
  const exercised = new Set<string>();
  const mismatches: string[] = [];
  let ajv: InstanceType<typeof Ajv2020>;

  beforeAll(() => {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (ajv: InstanceType<typeof Ajv2020>) => void)(ajv);
    ajv.addSchema(doc, 'openapi.json');
  });

  /** Sends a request and checks its answer against the operation `template` documents. */
  async function call(method: string, template: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await ctx.request(method, path, { headers, body });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    const id = `${method} ${path} → ${response.status}`;
    const lower = method.toLowerCase();
    const declared = doc.paths[template]?.[lower]?.responses[String(response.status)];
    exercised.add(`${lower} ${template}`);
    if (!declared) {
      mismatches.push(`${id}: status not in the document`);
      return { status: response.status, body: json };
    }
    const media = declared.content?.['application/json'];
    if (media) {
      const pointer = ['paths', template, lower, 'responses', String(response.status), 'content', 'application/json', 'schema']
        .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
        .join('/');
      const validate = ajv.getSchema(`openapi.json#/${pointer}`)!;
      if (!validate(json)) mismatches.push(`${id}: ${ajv.errorsText(validate.errors)}`);
    } else if (text !== '') {
      mismatches.push(`${id}: a body the document does not declare`);
    }
    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      const value = response.headers.get(name);
      if (value === null) {
        if (header.required) mismatches.push(`${id}: no ${name} header`);
        continue;
      }
      const typed = (header.schema as { type?: string }).type === 'integer' ? Number(value) : value;
      if (!ajv.validate(header.schema, typed)) mismatches.push(`${id}: ${name}: ${value} does not match`);
    }
    if (response.status >= 400 && ERROR_STATUS[json?.error?.code as keyof typeof ERROR_STATUS] !== response.status) {
      mismatches.push(`${id}: code ${json?.error?.code} belongs to another status`);
    }
    return { status: response.status, body: json };
  }

  it('every operation, its success and its errors, as documented', async () => {
    const admin: TestUser = await ctx.createUser({ roles: ['system-admin'] });
    const as = admin.headers;
    const none = {};

    await call('GET', '/healthz', '/healthz', none);
    await call('GET', '/readyz', '/readyz', none);
    await call('GET', '/openapi.json', '/openapi.json', none);
    await call('GET', '/v1/me', '/v1/me', as);

    // An analyst, created, authorized and granted through the API.
    const created = await call('POST', '/admin/users', '/admin/users', as, {
      username: 'ana.lyst',
      email: 'ana@example.com',
      kind: 'portal',
      organizations: ['org-northwind'],
    });
    expect(created.status).toBe(201);
    const userId = created.body.id as string;
    const user = `/admin/users/${userId}`;
    expect((await call('POST', '/admin/users', '/admin/users', as, { username: 'ana.lyst', email: 'other@example.com', kind: 'portal' })).status).toBe(409);
    await call('GET', '/admin/users', '/admin/users?limit=1', as);
    await call('GET', '/admin/users/{id}', user, as);
    await call('PATCH', '/admin/users/{id}', user, as, { surname: 'Lyst' });
    const access = await call('PUT', '/admin/users/{id}/api-access', `${user}/api-access`, as, { authorized: true });
    const { token, key } = access.body.credential as { token: string; key: string };
    const pair = { 'X-Api-Token': token, 'X-Api-Key': key };
    await call('GET', '/admin/users/{id}/api-access', `${user}/api-access`, as);
    await call('PUT', '/admin/users/{id}/grants', `${user}/grants`, as, { customers: 'standard' });
    await call('PUT', '/admin/users/{id}/settings', `${user}/settings`, as, { warehouse: 'NORTH' });

    // The analyst reads.
    await call('GET', '/v1/tables', '/v1/tables', pair);
    const page = await call('GET', '/v1/tables/{table}', '/v1/tables/customers?format=standard&limit=2', pair);
    expect(page.body.rows).toHaveLength(2);
    const code = page.body.rows[0].Code as string;
    await call('GET', '/v1/tables/{table}/rows/{key}', `/v1/tables/customers/rows/${code}`, pair);

    // Credentials: issue, copy, regenerate, revoke.
    const issued = await call('POST', '/admin/users/{id}/credentials', `${user}/credentials`, as, { name: 'Laptop' });
    const cred = `${user}/credentials/${issued.body.id as string}`;
    await call('GET', '/admin/users/{id}/credentials/{cid}/key', `${cred}/key`, as);
    await call('POST', '/admin/users/{id}/credentials/{cid}/regenerate', `${cred}/regenerate`, as);
    await call('DELETE', '/admin/users/{id}/credentials/{cid}', cred, as);
    expect((await call('POST', '/admin/users/{id}/credentials/{cid}/regenerate', `${cred}/regenerate`, as)).status).toBe(409);

    // Organizations, teams, tables, audit.
    await call('GET', '/admin/organizations', '/admin/organizations', as);
    await call('POST', '/admin/organizations', '/admin/organizations', as, { name: 'Lint Client', kind: 'client', parent: 'org-northwind' });
    expect((await call('POST', '/admin/organizations', '/admin/organizations', as, { name: 'Lint Client', kind: 'client', parent: 'org-northwind' })).status).toBe(409);
    await call('GET', '/admin/teams', '/admin/teams', as);
    await call('POST', '/admin/teams', '/admin/teams', as, { name: 'Lint team' });
    await call('GET', '/admin/tables', '/admin/tables', as);
    await call('POST', '/admin/tables/{table}/rows', '/admin/tables/customers/rows', as, { rows: [] });
    await call('DELETE', '/admin/tables/{table}/rows/{key}', `/admin/tables/customers/rows/${code}`, as);
    await call('GET', '/admin/audit', '/admin/audit?limit=5&action=credential.', as);

    // Refusals, each as documented.
    const errors: Array<[number, Promise<{ status: number }>]> = [
      [400, call('GET', '/v1/tables/{table}', '/v1/tables/customers?limit=0', pair)],
      [400, call('GET', '/admin/users', `/admin/users?key=${key}`, as)],
      [400, call('PATCH', '/admin/users/{id}', user, as, { id: 'mine' })],
      [401, call('GET', '/v1/me', '/v1/me', none)],
      [401, call('GET', '/admin/audit', '/admin/audit', { 'X-Api-Token': token, 'X-Api-Key': `${key}x` })],
      [403, call('GET', '/admin/users', '/admin/users', pair)],
      [403, call('GET', '/v1/tables/{table}', '/v1/tables/customers?format=detail', pair)],
      [404, call('GET', '/admin/users/{id}', '/admin/users/no-such-user', as)],
      [404, call('GET', '/v1/tables/{table}/rows/{key}', '/v1/tables/customers/rows/NOPE', pair)],
      [413, call('POST', '/admin/teams', '/admin/teams', as, { name: 'x'.repeat(6 * 1024 * 1024) })],
    ];
    expect(await Promise.all(errors.map(([, answer]) => answer.then((a) => a.status)))).toEqual(errors.map(([status]) => status));

    // Revoked at last: the analyst's next read is refused.
    await call('PUT', '/admin/users/{id}/api-access', `${user}/api-access`, as, { authorized: false });
    expect((await call('GET', '/v1/tables', '/v1/tables', pair)).status).toBe(401);
    await call('DELETE', '/admin/users/{id}', user, as);

    expect(mismatches).toEqual([]);
    expect(operations().map(({ path, method }) => `${method} ${path}`).filter((op) => !exercised.has(op))).toEqual([]);
  }, 60_000);

  it('a 429 carries Retry-After as documented', async () => {
    const limited = await createTestContext({ rateLimit: { requests: 1, windowSeconds: 60 } }, STILL_CLOCK);
    try {
      const user = await limited.createUser();
      await limited.request('GET', '/v1/me', { headers: user.headers });
      const response = await limited.request('GET', '/v1/me', { headers: user.headers });
      expect(response.status).toBe(429);
      const declared = doc.paths['/v1/me']!.get!.responses['429']!;
      expect(ajv.validate({ $ref: 'openapi.json#/components/schemas/Error' }, await response.json())).toBe(true);
      expect(ajv.validate(declared.headers!['Retry-After']!.schema, Number(response.headers.get('retry-after')))).toBe(true);
      expect(response.headers.get('cache-control')).toBe('no-store');
    } finally {
      await limited.close();
    }
  });
});
