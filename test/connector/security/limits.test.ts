import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_LIMIT } from '../../../connector/contract';
import { DEFAULT_CONFIG } from '../../../connector/config';
import { runCli, startConnector, tempDataDir, type RunningConnector } from '../../helpers/connector-process';
import { createTestContext, type TestContext } from '../../helpers/harness';
import { expectError, expectJson, systemAdmin, type Caller } from '../../helpers/http';
import { rawRequest } from '../../helpers/raw-http';
import { errorShapeProblems } from '../../helpers/security';

// OWASP API4: every limit is refused with its 4xx, and the process is fine afterwards.
// (The audit file's size cap is pinned in test/connector/store/audit-log-file.test.ts.)

describe('limits through the app', () => {
  let ctx: TestContext;
  let admin: Caller;
  beforeAll(async () => {
    ctx = await createTestContext();
    admin = (await systemAdmin(ctx)).call;
  });
  afterAll(async () => {
    await ctx.close();
  });

  it(`caps live credentials per user at ${DEFAULT_CONFIG.maxCredentialsPerUser} (409 conflict), by issue and by re-authorize alike`, async () => {
    const max = DEFAULT_CONFIG.maxCredentialsPerUser;
    const alice = await ctx.createUser();
    const issued: string[] = [alice.credentialId];
    for (let i = 1; i < max; i++) issued.push((await expectJson(await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: `c${i}` }), 201)).id);
    const live = async () => (await ctx.services.store.security.listCredentials(alice.user.id)).filter((c) => !c.revokedAt).length;
    expect(await live()).toBe(max);

    await expectError(await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: 'one too many' }), 409, 'conflict');
    await expectError(await admin('PUT', `/admin/users/${alice.user.id}/api-access`, { authorized: true }), 409, 'conflict');
    // Regenerating a key is not a new credential.
    await expectJson(await admin('POST', `/admin/users/${alice.user.id}/credentials/${issued[1]}/regenerate`), 200);
    expect(await live()).toBe(max);

    // Revoking one makes room for exactly one.
    expect((await admin('DELETE', `/admin/users/${alice.user.id}/credentials/${issued[0]}`)).status).toBe(204);
    await expectJson(await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: 'replacement' }), 201);
    await expectError(await admin('POST', `/admin/users/${alice.user.id}/credentials`, { name: 'again too many' }), 409, 'conflict');
    expect(await live()).toBe(max);
  });

  it(`refuses a page size above ${MAX_PAGE_LIMIT} (400 naming limit) and serves exactly ${MAX_PAGE_LIMIT}`, async () => {
    const org = await ctx.createOrganization('Org', 'provider');
    await ctx.services.store.rows.upsert('customers', 'Code', [{ Code: 'C1', Name: 'One', organization: org.id }]);
    for (const limit of [String(MAX_PAGE_LIMIT + 1), '0', '-1', '1e4', '99999999999999999999']) {
      const error = await expectError(await admin('GET', `/v1/tables/customers?limit=${limit}`), 400, 'invalid_request');
      expect(error.error.message).toContain('limit');
    }
    expect((await expectJson(await admin('GET', `/v1/tables/customers?limit=${MAX_PAGE_LIMIT}`), 200)).rows).toHaveLength(1);
  });

  it('refuses an audit page above 10000 entries (400 naming limit)', async () => {
    const error = await expectError(await admin('GET', '/admin/audit?limit=10001'), 400, 'invalid_request');
    expect(error.error.message).toContain('limit');
    await expectJson(await admin('GET', '/admin/audit?limit=10000'), 200);
  });
});

describe('limits on a real server process', () => {
  let dataDir: string;
  let connector: RunningConnector;
  let pair: { token: string; key: string };
  beforeAll(async () => {
    dataDir = await tempDataDir();
    pair = JSON.parse((await runCli(['bootstrap-admin', '--data', dataDir, '--username', 'root', '--email', 'root@limits.example', '--json'])).stdout);
    connector = await startConnector(dataDir);
  }, 60_000);
  afterAll(async () => {
    await connector?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const auth = () => `X-Api-Token: ${pair.token}\r\nX-Api-Key: ${pair.key}\r\n`;
  const healthy = async () => {
    const response = await fetch(`${connector.url}/healthz`);
    return { status: response.status, body: await response.json(), alive: connector.process.exitCode === null };
  };

  it('refuses a body over 5 MB with 413 payload_too_large, sent or only declared, and stores nothing', async () => {
    const big = JSON.stringify({ username: 'huge', email: 'huge@example.com', kind: 'portal', description: 'x'.repeat(DEFAULT_CONFIG.bodyLimitBytes) });
    const response = await fetch(`${connector.url}/admin/users`, {
      method: 'POST',
      headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key, 'Content-Type': 'application/json' },
      body: big,
    });
    const text = await response.text();
    expect({ status: response.status, code: JSON.parse(text).error.code }).toEqual({ status: 413, code: 'payload_too_large' });
    expect(errorShapeProblems(text, [dataDir])).toEqual([]);

    const declared = await rawRequest(
      connector.url,
      `POST /admin/users HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: ${DEFAULT_CONFIG.bodyLimitBytes + 1}\r\nConnection: close\r\n\r\n{"username":`,
    );
    expect(declared.status).toBe(413);
    expect(errorShapeProblems(declared.body, [dataDir])).toEqual([]);

    const users = await (await fetch(`${connector.url}/admin/users`, { headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key } })).json();
    expect(users.users.map((u: { username: string }) => u.username)).not.toContain('huge');
    expect(await healthy()).toEqual({ status: 200, body: { ok: true }, alive: true });
  });

  it('refuses oversized headers with 431 (never 5xx), in the contract error shape, and keeps serving', async () => {
    for (const payload of [
      `GET /v1/me HTTP/1.1\r\nHost: x\r\n${auth()}X-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      `GET /v1/me HTTP/1.1\r\nHost: x\r\n${auth()}${Array.from({ length: 2000 }, (_, i) => `X-H${i}: value`).join('\r\n')}\r\nConnection: close\r\n\r\n`,
      `GET /v1/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    ]) {
      const answer = await rawRequest(connector.url, payload);
      expect(answer.status).toBe(431);
      expect(errorShapeProblems(answer.body, [dataDir])).toEqual([]);
    }
    const me = await fetch(`${connector.url}/v1/me`, { headers: { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key } });
    expect(me.status).toBe(200);
    expect(await healthy()).toEqual({ status: 200, body: { ok: true }, alive: true });
  });
});
