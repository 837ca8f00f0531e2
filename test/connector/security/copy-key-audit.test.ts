import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { capturingLogger, createTestContext, type TestContext } from '../../helpers/harness';
import { expectError, expectJson, systemAdmin } from '../../helpers/http';

let ctx: TestContext;
afterEach(async () => {
  await ctx.close();
});

const copyPath = (userId: string, credentialId: string) => `/admin/users/${userId}/credentials/${credentialId}/key`;

it('writes the copy-key audit entry to disk before the key is returned', async () => {
  ctx = await createTestContext();
  const admin = await systemAdmin(ctx);
  const member = await ctx.createUser();
  const copy = await expectJson(await admin.call('GET', copyPath(member.user.id, member.credentialId)), 200);
  expect(copy.key).toBe(member.key);
  // Read straight from the file, without waiting for the log's queue: it must already be there.
  const lines = (await readFile(join(ctx.dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  expect(lines).toContainEqual(expect.objectContaining({ action: `credential.copy-key credential=${member.credentialId}`, target: member.user.username, actor: admin.user.username }));
});

it('returns no key when its audit entry cannot be written: 409 conflict with a clear sentence, never a 5xx', async () => {
  const log = capturingLogger();
  ctx = await createTestContext({}, undefined, log);
  const admin = await systemAdmin(ctx);
  const member = await ctx.createUser();
  await ctx.services.store.audit.flush();
  // A directory where the audit file should be: every append to it fails (as on a full disk).
  const auditFile = join(ctx.dataDir, 'audit.jsonl');
  await rm(auditFile, { force: true });
  await mkdir(auditFile);

  const refused = await admin.call('GET', copyPath(member.user.id, member.credentialId));
  const text = await refused.clone().text();
  const body = await expectError(refused, 409, 'conflict');
  expect(body.error.message).toMatch(/The key was not copied: its audit entry could not be written/);
  expect(text).not.toContain(member.key);
  expect(log.lines.some((line) => line.includes('"audit_write_failed"'))).toBe(true);
  expect(log.lines.join('\n')).not.toContain(member.key);

  // Once the audit can be written again, the copy works, and is on record.
  await rm(auditFile, { recursive: true });
  expect((await expectJson(await admin.call('GET', copyPath(member.user.id, member.credentialId)), 200)).key).toBe(member.key);
  expect(await readFile(auditFile, 'utf8')).toContain(`credential.copy-key credential=${member.credentialId}`);
});
