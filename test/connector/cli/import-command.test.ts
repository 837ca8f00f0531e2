import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, type RunningConnector } from '../../helpers/connector-process';
import { api, bootstrapAdmin, cliOk, failureLine } from '../../helpers/connector-http';

let connector: RunningConnector | undefined;
let dir: string | undefined;
afterAll(async () => {
  await connector?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('imports CSV and JSON files all or nothing; a bad row names its index and field', { timeout: 45_000 }, async () => {
  dir = await tempDataDir();
  const data = dir;
  const admin = await bootstrapAdmin(data);
  const csv = join(data, 'products.csv');
  await writeFile(csv, 'Code,Description,Weight,Discontinued,Launched\nZZ-001,Widget,1.5,no,2024-05-01\nZZ-002,"Gadget, large",2,yes,\n');
  expect(await cliOk(['import', 'products', csv, '--data', data])).toContain('Imported 2 rows into "products"');

  const json = join(data, 'products.json');
  await writeFile(json, JSON.stringify([{ Code: 'ZZ-002', Description: 'Gadget, replaced', Weight: 3 }, { Code: 'ZZ-003', Description: 'Gizmo' }]));
  expect(await cliOk(['import', 'products', json, '--data', data, '--json'])).toBe('{"upserted":2}\n');

  // A bad row anywhere refuses the whole file: nothing of it lands.
  const badCsv = join(data, 'bad.csv');
  await writeFile(badCsv, 'Code,Description,Weight\nZZ-010,Fine,1\nZZ-011,Heavy,heavy\n');
  const csvRefused = await runCli(['import', 'products', badCsv, '--data', data]);
  const csvLine = failureLine(csvRefused);
  expect(csvLine).toMatch(/Row 1, field "Weight"/);
  const badJson = join(data, 'bad.json');
  await writeFile(badJson, JSON.stringify({ rows: [{ Code: 'ZZ-020' }, { Code: 'ZZ-021' }, { Code: 'ZZ-022', Colour: 'red' }] }));
  // The refusal lists what the table takes.
  expect(failureLine(await runCli(['import', 'products', badJson, '--data', data]))).toMatch(
    /Row 2, field "Colour": table "products" has no such field; its importable fields are Code, Description, .*Weight/,
  );
  const badCampaign = join(data, 'campaigns.json');
  await writeFile(badCampaign, JSON.stringify([{ Id: 9001, Name: 'x', Status: 'Planned', team: 'team-nowhere' }]));
  expect(failureLine(await runCli(['import', 'campaigns', badCampaign, '--data', data]))).toMatch(/Row 0, field "team"/);

  const stored = JSON.parse(await readFile(join(data, 'tables', 'products.json'), 'utf8')).rows as Array<{ Code: string }>;
  expect(stored.map((row) => row.Code).filter((code) => code.startsWith('ZZ-'))).toEqual(['ZZ-001', 'ZZ-002', 'ZZ-003']);

  connector = await startConnector(data);
  const url = connector.url;
  const row = async (code: string) => api(url, 'GET', `/v1/tables/products/rows/${code}?format=standard`, { pair: admin });
  expect((await row('ZZ-001')).body.row).toMatchObject({ Code: 'ZZ-001', Description: 'Widget', Weight: 1.5, Discontinued: false, Launched: '2024-05-01' });
  expect((await row('ZZ-002')).body.row).toMatchObject({ Code: 'ZZ-002', Description: 'Gadget, replaced', Weight: 3 });
  expect((await row('ZZ-003')).status).toBe(200);
  for (const code of ['ZZ-010', 'ZZ-011', 'ZZ-020', 'ZZ-022']) expect((await row(code)).status, code).toBe(404);

  // Paging to the end yields the imported rows once each, in key order.
  const codes: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await api(url, 'GET', `/v1/tables/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { pair: admin });
    expect(page.status).toBe(200);
    codes.push(...page.body.rows.map((r: { Code: string }) => r.Code));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(codes.filter((code) => code.startsWith('ZZ-'))).toEqual(['ZZ-001', 'ZZ-002', 'ZZ-003']);
  expect(new Set(codes).size).toBe(codes.length);
});
