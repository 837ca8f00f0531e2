import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { JsonLinesAuditLog } from '../../../connector/store/audit-file';
import { SplitAuditLog } from '../../../connector/store/split-audit-log';
import type { AuditEntry } from '../../../connector/store/types';

let dir: string;
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (second: number, outcome: string, action: string): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
  actor: 'root',
  actorId: null,
  action,
  target: null,
  ip: '127.0.0.1',
  outcome,
});

it('keeps admin actions readable however many refusals flood in, and lists both newest first', async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-audit-'));
  const log = new SplitAuditLog(new JsonLinesAuditLog(join(dir, 'audit.jsonl'), 4096), new JsonLinesAuditLog(join(dir, 'refusals.jsonl'), 4096));
  log.append(entry(1, 'ok', 'user.create'));
  log.append(entry(2, 'invalid_credentials', 'refused GET /v1/me'));
  log.append(entry(3, 'ok', 'api-access.authorize'));
  expect((await log.list(10)).map((e) => e.action)).toEqual(['api-access.authorize', 'refused GET /v1/me', 'user.create']);

  for (let i = 0; i < 500; i++) log.append(entry(10, 'invalid_credentials', `refused ${'x'.repeat(100)}`));
  const all = await log.list(100_000);
  expect(all.filter((e) => e.outcome === 'ok').map((e) => e.action)).toEqual(['api-access.authorize', 'user.create']);
  expect(all.length).toBeLessThan(2 + 2 * (4096 / 100)); // the refusals stay bounded
});
