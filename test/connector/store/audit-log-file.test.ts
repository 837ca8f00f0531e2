import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { recordAudit } from '../../../connector/audit';
import { OPERATOR } from '../../../connector/security/principal';
import { JsonLinesAuditLog } from '../../../connector/store/audit-file';
import type { AuditEntry } from '../../../connector/store/types';
import { filesUnder, openTestServices } from '../../helpers/data-dir';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function entry(action: string, target: string | null = null): AuditEntry {
  return { at: '2030-01-01T00:00:00.000Z', actor: 'cli', actorId: null, action, target, ip: null, outcome: 'ok' };
}

it('skips a line torn by a crash and keeps appending cleanly after it', async () => {
  const path = join(dir, 'audit.jsonl');
  const torn = JSON.stringify(entry('torn')).slice(0, 25); // no newline: the process died mid-append
  await writeFile(path, `${JSON.stringify(entry('first'))}\n${JSON.stringify(entry('second'))}\n${torn}`);

  const log = new JsonLinesAuditLog(path);
  expect((await log.list(10)).map((e) => e.action)).toEqual(['second', 'first']);

  log.append(entry('after-restart'));
  log.append(entry('later'));
  expect((await log.list(10)).map((e) => e.action)).toEqual(['later', 'after-restart', 'second', 'first']);
  // A fresh reader (the next start) sees the same.
  expect((await new JsonLinesAuditLog(path).list(10)).map((e) => e.action)).toEqual(['later', 'after-restart', 'second', 'first']);
});

it('tells its owner of an entry it could not write, and keeps writing the ones after', async () => {
  const path = join(dir, 'audit.jsonl');
  await mkdir(path); // appending to a directory fails, as a full or read-only disk would
  const errors: Error[] = [];
  const log = new JsonLinesAuditLog(path, undefined, (error) => errors.push(error));
  log.append(entry('lost'));
  await log.flush();
  expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['EISDIR']);

  await rm(path, { recursive: true });
  log.append(entry('kept'));
  expect((await log.list(10)).map((e) => e.action)).toEqual(['kept']);
  expect(errors).toHaveLength(1);
});

it('keeps the torn-line tolerance through the store, across a reopen', async () => {
  let services = await openTestServices(dir);
  recordAudit(services.store.audit, { principal: OPERATOR, action: 'before-crash', ip: null, at: new Date() });
  await services.close();
  await writeFile(join(dir, 'audit.jsonl'), `${await readFile(join(dir, 'audit.jsonl'), 'utf8')}{"at":"2030-01-01T00:0`);

  services = await openTestServices(dir);
  recordAudit(services.store.audit, { principal: OPERATOR, action: 'after-crash', ip: null, at: new Date() });
  expect((await services.store.audit.list(10)).map((e) => e.action)).toEqual(['after-crash', 'before-crash']);
  await services.close();
});

it('rotates at the size cap: two bounded generations, newest entries first', async () => {
  const path = join(dir, 'audit.jsonl');
  const cap = 4096;
  const log = new JsonLinesAuditLog(path, cap);
  // Multi-byte targets: the cap is in bytes, not characters.
  for (let i = 0; i < 400; i++) log.append(entry(`action-${i}`, `${'ø'.repeat(300)}-${i}`));
  await log.flush();

  expect((await filesUnder(dir)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1']);
  expect((await stat(path)).size).toBeLessThanOrEqual(cap);
  expect((await stat(`${path}.1`)).size).toBeLessThanOrEqual(cap);

  const newest = await log.list(5);
  expect(newest.map((e) => e.action)).toEqual(['action-399', 'action-398', 'action-397', 'action-396', 'action-395']);
  // Every kept line is whole and in order, and the older generation continues where the newer begins.
  const kept = await log.list(10_000);
  const numbers = kept.map((e) => Number(e.action.slice('action-'.length)));
  expect(numbers[0]).toBe(399);
  for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1] - 1);
  expect(kept.length).toBeLessThan(400);
});

it('keeps rotating across restarts without growing past two generations', async () => {
  const path = join(dir, 'audit.jsonl');
  for (let round = 0; round < 3; round++) {
    const log = new JsonLinesAuditLog(path, 2048);
    for (let i = 0; i < 100; i++) log.append(entry(`r${round}-${i}`));
    await log.flush();
  }
  expect((await filesUnder(dir)).sort()).toEqual(['audit.jsonl', 'audit.jsonl.1']);
  expect((await stat(path)).size).toBeLessThanOrEqual(2048);
  expect((await stat(`${path}.1`)).size).toBeLessThanOrEqual(2048);
  expect((await new JsonLinesAuditLog(path, 2048).list(1))[0].action).toBe('r2-99');
});
