import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { authorize } from '../../../connector/credentials/lifecycle';
import { createUser, setGrants, setSettings } from '../../../connector/security/users';
import type { OpenedServices } from '../../../connector/services';
import { openTestServices } from '../../helpers/data-dir';
import { CLI_ACTOR } from '../../../connector/security/actor';
import { allRows } from '../../helpers/rows';

let dir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-concurrency-'));
});
afterEach(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Yields to the event loop a varying number of times, so operations interleave across awaits. */
async function jitter(i: number): Promise<void> {
  for (let n = 0; n < i % 4; n++) await new Promise((resolve) => setImmediate(resolve));
}

it('loses nothing and doubles nothing when 1,000+ updates interleave across awaits', async () => {
  services = await openTestServices(dir);
  const s = services;
  const USERS = 200;
  const names = Array.from({ length: USERS }, (_, i) => `u${String(i).padStart(3, '0')}`);

  // Each user: create, then two grant changes on different tables, a settings change and two
  // authorizations, all racing with every other user's operations.
  const issued = new Map<string, string[]>();
  const flows = names.map(async (name, i) => {
    await jitter(i);
    const created = await createUser(s, CLI_ACTOR, { username: name, email: `${name}@example.com`, kind: 'api' }).catch((error: Error) => error);
    if (created instanceof Error) {
      expect(created.message).toContain('already taken'); // a duplicate below won this username
      return;
    }
    const user = created;
    await jitter(i + 1);
    const pairs = await Promise.all([
      setGrants(s, CLI_ACTOR, user.id, { customers: 'standard' }),
      setGrants(s, CLI_ACTOR, user.id, { products: 'detail' }),
      setSettings(s, CLI_ACTOR, user.id, { warehouse: `W${i}` }),
      authorize(s, CLI_ACTOR, user.id),
      jitter(i + 2).then(() => authorize(s, CLI_ACTOR, user.id)),
    ]);
    issued.set(name, [pairs[3].token, pairs[4].token]);
  });
  // Duplicate creates race with the real ones: exactly one of each username may win.
  const duplicates = names.slice(0, 50).map(async (name, i) => {
    await jitter(i + 3);
    return createUser(s, CLI_ACTOR, { username: name, email: `${name}.dup@example.com`, kind: 'api' }).then(
      () => 'created',
      (error: Error) => error.message,
    );
  });
  await Promise.all(flows);
  const duplicateOutcomes = await Promise.all(duplicates);
  const duplicatesCreated = duplicateOutcomes.filter((outcome) => outcome === 'created').length;
  expect(duplicateOutcomes.filter((outcome) => outcome !== 'created').every((m) => m.includes('already taken'))).toBe(true);
  expect(issued.size + duplicatesCreated).toBe(USERS);

  await s.close();
  services = await openTestServices(dir);
  const security = services.store.security;

  // Each username exists exactly once: of an original and its duplicate, exactly one won.
  const stored = await security.listUsers();
  expect(stored.length).toBe(USERS);
  expect(new Set(stored.map((u) => u.username)).size).toBe(USERS);
  for (const [i, name] of names.entries()) {
    const user = await security.findUserByUsername(name);
    expect(user, name).toBeDefined();
    if (!issued.has(name)) {
      expect(user?.email).toBe(`${name}.dup@example.com`); // the duplicate won; nothing else touched it
      expect(user?.grants).toEqual({});
      continue;
    }
    expect(user?.email).toBe(`${name}@example.com`);
    expect(user?.grants).toEqual({ customers: 'standard', products: 'detail' });
    expect(user?.settings.warehouse).toBe(`W${i}`);
    expect(user?.apiAuthorized).toBe(true);
    const tokens = (await security.listCredentials(user!.id)).map((c) => c.token).sort();
    expect(tokens).toEqual([...(issued.get(name) ?? [])].sort());
  }
  const allCredentials = (await Promise.all(stored.map((u) => security.listCredentials(u.id)))).flat();
  expect(new Set(allCredentials.map((c) => c.id)).size).toBe(allCredentials.length);
  expect(allCredentials.length).toBe(issued.size * 2);
});

it('keeps every row of 200 concurrent upserts into one table after reopen', async () => {
  services = await openTestServices(dir);
  const s = services;
  await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      await jitter(i);
      await s.store.rows.upsert('products', 'Code', [{ Code: `P${String(i).padStart(3, '0')}`, Description: `#${i}` }]);
    }),
  );
  await s.close();
  services = await openTestServices(dir);
  const rows = (await allRows(services.store, 'products', 'Code'));
  expect(rows.length).toBe(200);
  expect(rows.map((row) => row.Code)).toEqual(Array.from({ length: 200 }, (_, i) => `P${String(i).padStart(3, '0')}`));
  expect(await services.store.rows.get('products', 'P123')).toEqual({ Code: 'P123', Description: '#123' });
});
