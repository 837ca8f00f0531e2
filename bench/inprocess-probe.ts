import { rmSync } from 'node:fs';
import { createApp } from '../connector/app';
import { KEY_HEADER, TOKEN_HEADER } from '../connector/contract';
import { jsonLogger } from '../connector/logger';
import { openServices } from '../connector/services';
import { BENCH_SECRET, benchRoot } from './fixtures';
import { mainStore } from './stores';

// Ad hoc: the app's own CPU per request, in process (no sockets), for the row 1 page.
const root = benchRoot();
const store = mainStore(root);
const services = await openServices({ dataDir: store.dir, secret: BENCH_SECRET, config: { rateLimit: { requests: 1e9, windowSeconds: 60 } }, log: jsonLogger(() => {}) });
const app = createApp(services);
const headers = { [TOKEN_HEADER]: store.scoped.token, [KEY_HEADER]: store.scoped.key };
const url = 'http://127.0.0.1/v1/tables/customers?format=standard&limit=10';
const once = async () => {
  const response = await app.fetch(new Request(url, { headers }), {});
  if (response.status !== 200) throw new Error(String(response.status));
};
for (let i = 0; i < 5000; i++) await once();
for (let round = 0; round < 5; round++) {
  const n = 20000;
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) await once();
  const used = process.cpuUsage(cpu);
  console.log(`${(((used.user + used.system) / n)).toFixed(1)} µs CPU per request`);
}
await services.close();
rmSync(root, { recursive: true, force: true });
