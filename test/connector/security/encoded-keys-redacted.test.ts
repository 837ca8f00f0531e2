import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redactKeys } from '../../../connector/http/redact';
import { capturingLogger, createTestContext, type TestContext, type TestUser } from '../../helpers/harness';

// Found by the issue-9 review: `/v1/tables/%73gk_...` reached the audit and the refusal log with
// the key in it, because redaction looked for a literal `sgk_` before anything was decoded.

const ADMIN_KEY = 'operator-admin-key-0123456789-abcdefghij';

let ctx: TestContext;
let log: ReturnType<typeof capturingLogger>;
let member: TestUser;
let admin: TestUser;
beforeAll(async () => {
  log = capturingLogger();
  ctx = await createTestContext({ adminKey: ADMIN_KEY }, undefined, log);
  member = await ctx.createUser({ grants: { customers: 'standard' } });
  admin = await ctx.createUser({ roles: ['system-admin'] });
});
afterAll(async () => {
  await ctx.close();
});

const hex = (char: string, upper: boolean) => {
  const code = char.charCodeAt(0).toString(16).padStart(2, '0');
  return `%${upper ? code.toUpperCase() : code}`;
};
const encodeAll = (text: string, upper = true) => [...text].map((char) => hex(char, upper)).join('');

/** Every way of writing the key that some layer (URL parser, router, URLSearchParams) decodes. */
function encodings(key: string): Record<string, string> {
  const body = key.slice(4);
  return {
    plain: key,
    'first letter escaped': `%73${key.slice(1)}`,
    'every char escaped': encodeAll(key),
    'every char escaped, lower-case hex': encodeAll(key, false),
    'a middle char escaped': `${key.slice(0, 20)}${hex(key[20], true)}${key.slice(21)}`,
    'double-encoded': `%2573${key.slice(1)}`,
    'every char double-encoded': encodeAll(key).replace(/%/g, '%25'),
    'triple-encoded': `%252573${key.slice(1)}`,
    'upper-case prefix': `SGK_${body}`,
    'body without the prefix': body,
    'body without the prefix, escaped': encodeAll(body),
  };
}

/** Decodes percent-escapes until nothing changes: what a reader of the line could recover. */
function decodeFully(text: string): string {
  let current = text;
  for (let i = 0; i < 10; i++) {
    const next = current.replace(/%[0-9A-Fa-f]{2}/g, (escape) => String.fromCharCode(Number.parseInt(escape.slice(1), 16)));
    if (next === current) return current;
    current = next;
  }
  return current;
}

it('no key body, in any encoding, reaches a log line, an audit line or a response, from paths, queries or headers', async () => {
  const key = member.key;
  const requests: Array<{ path: string; headers: Record<string, string> }> = [];
  for (const encoded of Object.values(encodings(key))) {
    const paths = [
      `/v1/tables/${encoded}`,
      `/v1/tables/customers/rows/${encoded}`,
      `/v1/${encoded}/x`,
      `/${encoded}`,
      `/admin/users/${encoded}`,
      `/admin/users/${encoded}/credentials/${encoded}/key`,
      `/v1/tables/customers?cursor=${encoded}`,
      `/v1/tables/customers?format=${encoded}`,
      `/v1/tables/customers?limit=${encoded}`,
      `/v1/tables?${encoded}=1`,
      `/healthz?x=${encoded}`,
    ];
    for (const path of paths) {
      requests.push({ path, headers: {} }); // anonymous: refused and audited
      requests.push({ path, headers: member.headers }); // authenticated: reaches the route
      requests.push({ path, headers: { 'X-Admin-Key': ADMIN_KEY } }); // every admin-key use is audited with its path
    }
    const headerCases: Array<Record<string, string>> = [
      { 'X-Request-Id': encoded },
      { ...member.headers, 'X-Request-Id': encoded },
      { 'X-Api-Token': member.token, 'X-Api-Key': encoded },
      { 'X-Api-Token': encoded, 'X-Api-Key': encoded },
      { 'X-Admin-Key': encoded },
      { ...admin.headers, 'X-Request-Id': `trace-${encoded}` },
    ];
    for (const headers of headerCases) {
      requests.push({ path: '/v1/me', headers });
      requests.push({ path: '/admin/users', headers });
    }
  }

  const responses: string[] = [];
  for (const { path, headers } of requests) {
    const response = await ctx.app.request(`http://localhost${path}`, { headers });
    responses.push(`${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await response.text()}`);
  }
  await ctx.services.store.audit.flush();
  const auditLines = (
    await Promise.all(['audit.jsonl', 'refusals.jsonl'].map((file) => readFile(join(ctx.dataDir, file), 'utf8').catch(() => '')))
  ).join('').split('\n').filter(Boolean);
  const audited = (await ctx.services.store.audit.list(100_000)).map((entry) => JSON.stringify(entry));

  const body = key.slice(4);
  const scanned = { 'log lines': log.lines, 'audit file lines': auditLines, 'audit entries': audited, responses };
  const leaks = Object.entries(scanned).flatMap(([where, lines]) =>
    lines.filter((line) => decodeFully(line).includes(body) || decodeFully(line).includes(body.slice(0, 24))).map((line) => `${where}: ${line.slice(0, 200)}`),
  );
  expect(leaks).toEqual([]);
  // The scan looked at something: refusals were audited with their (redacted) paths, requests were logged.
  expect(requests.length).toBeGreaterThan(400);
  expect(log.lines.filter((line) => line.includes('"msg":"request"')).length).toBe(requests.length);
  expect(auditLines.length).toBeGreaterThan(requests.length / 3);
  expect(auditLines.some((line) => line.includes('[redacted]'))).toBe(true);
});

it('redactKeys leaves text without a key exactly as it was, escapes included', () => {
  for (const text of ['/v1/tables/customers', '/v1/tables/a%20b', '/x/%E2%82%AC/%2F', 'sgt_notakey', 'A'.repeat(49)]) {
    expect(redactKeys(text)).toBe(text);
  }
  expect(redactKeys(`/v1/tables/%2573${member.key.slice(1)}`)).toBe('/v1/tables/sgk_[redacted]');
  expect(redactKeys(`/x/${member.key.slice(4)}/y`)).toBe('/x/[redacted]/y');
});
