import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createUser } from '../../../connector/security/users';
import { openTestServices } from '../../helpers/data-dir';
import { CLI_ACTOR } from '../../../connector/security/actor';

let dir: string;
let goodSecurity: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-unreadable-'));
  const services = await openTestServices(dir);
  await createUser(services, CLI_ACTOR, { username: 'alice', email: 'alice@example.com', kind: 'portal' });
  await services.store.rows.upsert('products', 'Code', [{ Code: 'P1' }]);
  await services.close();
  goodSecurity = await readFile(join(dir, 'security.json'), 'utf8');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Opening must fail with `message`, leave the file as it was and release the directory lock. */
async function expectRefused(file: string, content: string, message: RegExp) {
  const path = join(dir, file);
  await writeFile(path, content);
  const error = await openTestServices(dir).then(
    async (opened) => {
      await opened.close();
      return null;
    },
    (e: Error) => e,
  );
  expect(error?.message).toMatch(message);
  expect(error?.message).not.toContain('\n');
  expect(await readFile(path, 'utf8')).toBe(content);
  expect(existsSync(join(dir, '.lock'))).toBe(false);
}

it('refuses a security file from a newer Sheetgate, naming both versions', async () => {
  const current = JSON.parse(await readFile(join(dir, 'security.json'), 'utf8'));
  await expectRefused(
    'security.json',
    JSON.stringify({ ...current, schemaVersion: 99 }),
    /security\.json has schema version 99, but this Sheetgate reads version 1/,
  );
});

it('refuses a table file from a newer Sheetgate', async () => {
  await expectRefused('tables/products.json', JSON.stringify({ schemaVersion: 2, keyField: 'Code', rows: [] }), /products\.json has schema version 2/);
});

it('refuses a file without a schema version', async () => {
  await expectRefused('security.json', JSON.stringify({ users: [] }), /security\.json has no schema version/);
});

it('refuses corrupt JSON with a clear message instead of a parser crash', async () => {
  await expectRefused('security.json', '{"schemaVersion":1,"users":[{"id":', /security\.json is not valid JSON; restore it from a backup/);
  await writeFile(join(dir, 'security.json'), goodSecurity);
  await expectRefused('tables/products.json', '', /products\.json is not valid JSON/);
});

it('refuses a security file whose shape is wrong instead of crashing on it', async () => {
  await expectRefused('security.json', JSON.stringify({ schemaVersion: 1 }), /security\.json has no "users" list/);
  await expectRefused('security.json', 'null', /security\.json does not hold a JSON object/);
  await expectRefused('security.json', '[]', /security\.json does not hold a JSON object/);
  await writeFile(join(dir, 'security.json'), goodSecurity);
  await expectRefused('tables/products.json', JSON.stringify({ schemaVersion: 1, keyField: 'Code', rows: {} }), /products\.json has no "rows" list/);
});

it('opens again once the file is restored', async () => {
  await expectRefused('security.json', '{', /not valid JSON/);
  await writeFile(join(dir, 'security.json'), goodSecurity);
  const services = await openTestServices(dir);
  expect(await services.store.security.findUserByUsername('alice')).toBeDefined();
  await services.close();
});
