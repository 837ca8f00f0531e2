import { afterAll, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, type RunningConnector } from '../helpers/connector-process';

let connector: RunningConnector | undefined;
afterAll(async () => {
  await connector?.stop();
});

it('serves demo data from a real process', async () => {
  const dir = await tempDataDir();
  const admin = JSON.parse((await runCli(['bootstrap-admin', '--data', dir, '--username', 'root', '--email', 'r@x.example', '--json'])).stdout);
  connector = await startConnector(dir);
  const res = await fetch(`${connector.url}/v1/tables`, { headers: { 'X-Api-Token': admin.token, 'X-Api-Key': admin.key } });
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.tables.map((t: { id: string }) => t.id).sort()).toEqual(['campaigns', 'customers', 'products', 'stock-levels']);
});
