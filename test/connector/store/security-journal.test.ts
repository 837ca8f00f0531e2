import { appendFile, mkdtemp, open as openFile, readFile, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DISCARDED_AUDIT } from '../../../connector/store/discarded-audit';
import { journalPathFor, LowdbSecurityRepository } from '../../../connector/store/lowdb/security-file';
import type { Credential, User } from '../../../connector/store/types';
import { userWith } from '../tables/fixtures';

// Each committed change to the security model is one fsynced journal line beside security.json;
// the file is rewritten only when the journal outgrows it, and on close. A "crash" here is opening
// the same file again without closing the repository that wrote it.

let dir: string;
let file: string;
let journal: string;
const open: LowdbSecurityRepository[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-journal-'));
  file = join(dir, 'security.json');
  journal = journalPathFor(file);
});
afterEach(async () => {
  for (const repository of open.splice(0)) await repository.close().catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function openRepository(): Promise<LowdbSecurityRepository> {
  const repository = await LowdbSecurityRepository.open(file, DISCARDED_AUDIT);
  open.push(repository);
  return repository;
}

/** Opens the files as they are now, as a restart after kill -9 would (the writer is never closed). */
async function afterCrash(): Promise<LowdbSecurityRepository> {
  return LowdbSecurityRepository.open(file, DISCARDED_AUDIT);
}

async function state(repository: LowdbSecurityRepository) {
  return JSON.stringify({
    users: await repository.listUsers(),
    credentials: await Promise.all((await repository.listUsers()).map((user) => repository.listCredentials(user.id))),
    organizations: await repository.listOrganizations(),
    teams: await repository.listTeams(),
  });
}

function user(n: number, extra: Partial<User> = {}): User {
  return userWith({ id: `u${n}`, username: `user${n}`, email: `user${n}@example.com`, ...extra });
}

function credential(n: number, userId: string): Credential {
  return {
    id: `c${n}`,
    userId,
    token: `sgt_token${n}`,
    name: 'default',
    keyDigest: 'ab'.repeat(32),
    keyCiphertext: 'v1.iv.tag.body',
    createdAt: '2025-01-01T00:00:00.000Z',
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
  };
}

it('keeps every acknowledged change through a crash, from the journal, without rewriting the file each time', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => await draft.insertUser(user(1)));
  const fileAfterFirst = await readFile(file, 'utf8'); // a new directory's first write makes the file
  await repository.transaction(async (draft) => {
    await draft.insertUser(user(2));
    await draft.insertCredential(credential(1, 'u2'));
    await draft.insertOrganization({ id: 'org-a', name: 'A', kind: 'provider', parent: null, createdAt: '2025-01-01T00:00:00.000Z' });
    await draft.insertTeam({ id: 'team-a', name: 'A', createdAt: '2025-01-01T00:00:00.000Z' });
  });
  await repository.transaction(async (draft) => await draft.patchUser('u1', { name: 'Renamed', grants: { customers: 'standard' } }));
  await repository.transaction(async (draft) => await draft.patchCredential('c1', { revokedAt: '2025-02-01T00:00:00.000Z' }));
  await repository.transaction(async (draft) => await draft.removeUser('u1'));

  expect(await readFile(file, 'utf8')).toBe(fileAfterFirst);
  expect((await stat(journal)).size).toBeGreaterThan(0);
  const reopened = await afterCrash();
  expect((await state(reopened))).toBe((await state(repository)));
  expect(await reopened.getUser('u1')).toBeUndefined();
  expect((await reopened.findCredentialByToken('sgt_token1'))?.revokedAt).toBe('2025-02-01T00:00:00.000Z');
  const found = await reopened.findCredentialByToken('sgt_token1');
  expect(await reopened.findPrincipal('sgt_token1')).toEqual({ credential: found, user: found && (await reopened.getUser(found.userId)), organizations: [] });
  expect(await reopened.findPrincipal('sgt_none')).toBeUndefined();
  expect((await reopened.findUserByUsername('user2'))?.id).toBe('u2');
  await reopened.close();
});

it('drops a torn last line (a change never acknowledged) and appends cleanly after it', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => await draft.insertUser(user(1)));
  await repository.transaction(async (draft) => await draft.insertUser(user(2)));
  const before = (await state(repository));
  await appendFile(journal, '{"users":{"put":[{"id":"u3","username":"us');

  const first = await afterCrash();
  expect((await state(first))).toBe(before);
  await first.transaction(async (draft) => await draft.insertUser(user(4)));
  const second = await afterCrash();
  expect((await second.listUsers()).map((u) => u.id)).toEqual(['u1', 'u2', 'u4']);
  await first.close();
  await second.close();
});

it('a failed append (disk full) leaves no damaged line: the change lands with the next write and survives a restart', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => await draft.insertUser(user(1)));
  // The next append writes half its bytes, then the disk is full.
  const probe = await openFile(join(dir, 'probe'), 'w');
  const handles = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  const write = handles.write as (this: FileHandle, buffer: Uint8Array) => Promise<unknown>;
  const full = vi.spyOn(handles, 'write').mockImplementationOnce(async function (this: FileHandle, buffer: Uint8Array) {
    await write.call(this, buffer.subarray(0, Math.floor(buffer.length / 2)));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  } as unknown as FileHandle['write']);
  try {
    await expect(repository.transaction(async (draft) => await draft.insertUser(user(2)))).rejects.toThrow(/ENOSPC/);
  } finally {
    full.mockRestore();
  }
  await repository.transaction(async (draft) => await draft.insertUser(user(3)));

  const reopened = await afterCrash();
  expect((await reopened.listUsers()).map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
  expect((await state(reopened))).toBe((await state(repository)));
  await reopened.close();
});

it('refuses a journal damaged before its end, naming the file', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => await draft.insertUser(user(1)));
  await repository.close();
  open.pop();
  await writeFile(journal, 'not json\n{"users":{"put":[]}}\n');
  await expect(LowdbSecurityRepository.open(file, DISCARDED_AUDIT)).rejects.toThrow(/security\.journal has a damaged line/);
});

it('replays lines the file already holds without changing anything (a crash between rewrite and truncation)', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => await draft.insertUser(user(1)));
  await repository.transaction(async (draft) => await draft.insertUser(user(2)));
  await repository.transaction(async (draft) => await draft.patchUser('u1', { name: 'Again' }));
  await repository.transaction(async (draft) => await draft.removeUser('u2'));
  const lines = await readFile(journal, 'utf8');
  const before = (await state(repository));
  await repository.close();
  open.pop();
  expect((await stat(journal)).size).toBe(0); // close folded the journal into the file
  await writeFile(journal, lines);

  const reopened = await openRepository();
  expect((await state(reopened))).toBe(before);
  expect((await reopened.listUsers()).map((u) => u.id)).toEqual(['u1']);
});

it('leaves no line for a change that throws', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => await draft.insertUser(user(1)));
  const size = (await stat(journal)).size;
  await expect(
    repository.transaction(async (draft) => {
      await draft.insertUser(user(2));
      throw new Error('abort');
    }),
  ).rejects.toThrow('abort');
  await repository.transaction(async () => {});
  expect((await stat(journal)).size).toBe(size);
  expect(await state(await afterCrash())).toBe((await state(repository)));
});

it('folds the journal into the file once the journal outgrows it, and keeps working after', async () => {
  const repository = await openRepository();
  const description = 'x'.repeat(4000);
  for (let n = 0; n < 300; n++) await repository.transaction(async (draft) => await draft.insertUser(user(n, { description })));
  // About 1.2 MB of lines went by: the file was rewritten once the journal passed 1 MB.
  expect((await stat(journal)).size).toBeLessThan(1024 * 1024);
  expect(JSON.parse(await readFile(file, 'utf8')).users.length).toBeGreaterThan(200);
  expect(await state(await afterCrash())).toBe((await state(repository)));
});

it('journals credential use lazily and keeps it on close', async () => {
  const repository = await openRepository();
  await repository.transaction(async (draft) => {
    await draft.insertUser(user(1));
    await draft.insertCredential(credential(1, 'u1'));
  });
  repository.recordCredentialUse('c1', '2025-03-01T00:00:00.000Z', '203.0.113.9');
  await repository.close();
  open.pop();
  const stored = JSON.parse(await readFile(file, 'utf8')).credentials[0] as Credential;
  expect([stored.lastUsedAt, stored.lastUsedIp]).toEqual(['2025-03-01T00:00:00.000Z', '203.0.113.9']);
});
