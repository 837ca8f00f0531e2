import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { OpenedServices } from '../../../connector/services';
import { openTestServices } from '../../helpers/data-dir';
import { allRows } from '../../helpers/rows';

// Regression: a table file created at open time stored the placeholder key field "id", so after a
// restart `rows.get` (GET /v1/tables/:t/rows/:key, price lookups) found nothing and a removed row
// came back.

let dir: string;
let services: OpenedServices | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetgate-rowskey-'));
});
afterEach(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

it('stores the definition key field in a new table file and finds rows by it after reopen', async () => {
  services = await openTestServices(dir);
  await services.store.rows.upsert('customers', 'Code', [{ Code: 'C2', Name: 'Two' }, { Code: 'C1', Name: 'One' }]);
  await services.close();
  const file = JSON.parse(await readFile(join(dir, 'tables', 'customers.json'), 'utf8'));
  expect(file.keyField).toBe('Code');

  services = await openTestServices(dir);
  expect(await services.store.rows.get('customers', 'C1')).toEqual({ Code: 'C1', Name: 'One' });
  expect(await services.store.rows.remove('customers', 'C1')).toBe(true);
  await services.close();
  services = await openTestServices(dir);
  expect((await allRows(services.store, 'customers', 'Code'))).toEqual([{ Code: 'C2', Name: 'Two' }]);
});

it('re-keys a table file written under another key field by the definition key', async () => {
  await mkdir(join(dir, 'tables'), { recursive: true });
  await writeFile(
    join(dir, 'tables', 'products.json'),
    JSON.stringify({ schemaVersion: 1, keyField: 'id', rows: [{ Code: 'P2', Description: 'b' }, { Code: 'P1', Description: 'a' }] }),
  );
  services = await openTestServices(dir);
  expect(await services.store.rows.get('products', 'P1')).toEqual({ Code: 'P1', Description: 'a' });
  expect((await allRows(services.store, 'products', 'Code')).map((row) => row.Code)).toEqual(['P1', 'P2']);
});
