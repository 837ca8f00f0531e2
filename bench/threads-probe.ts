import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_HEADER, TOKEN_HEADER } from '../connector/contract';
import { BENCH_ENV, benchRoot } from './fixtures';
import { runLoad, warmUp } from './load';
import { get, startServer } from './processes';
import { mainStore } from './stores';

// Ad hoc: CPU per request by thread of a connector under row 1's load.
const cli = process.argv[2];
const root = benchRoot();
const store = mainStore(root);
const threads = (pid: number) =>
  new Map(readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    return [`${tid} ${comm}`, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100];
  }));
const connector = await startServer(cli, ['serve', '--port', '{port}', '--host', '127.0.0.1', '--data', store.dir, '--no-demo'], { env: BENCH_ENV });
const path = '/v1/tables/customers?format=standard&limit=10';
const headers = { [TOKEN_HEADER]: store.scoped.token, [KEY_HEADER]: store.scoped.key };
const requests = [{ path, headers }];
const page = await get(`${connector.url}${path}`, headers);
writeFileSync(join(root, 'page.json'), page.body);
const floor = await startServer(process.argv[3], ['--port', '{port}', '--body', join(root, 'page.json'), '--token', store.scoped.token, '--key', store.scoped.key]);
console.log(`pids: connector ${connector.pid}, Hono+auth ${floor.pid}`);
for (const server of [connector, floor]) await warmUp({ url: server.url, requests, connections: 10 }, 3);
for (let round = 0; round < Number(process.env.ROUNDS ?? 6); round++) {
  const server = round % 2 === 0 ? connector : floor;
  process.stdout.write(round % 2 === 0 ? 'connector ' : 'Hono+auth ');
  const before = threads(server.pid);
  const result = await runLoad({ url: server.url, requests, connections: 10, durationSec: 4, pid: server.pid });
  const after = threads(server.pid);
  console.log(`round ${round}: ${result.rps.toFixed(0)}/s, ${result.cpuUs.toFixed(0)} µs/request; by thread (µs/request):`);
  for (const [name, ms] of after) {
    const used = ms - (before.get(name) ?? 0);
    if (used > 0) console.log(`  ${name.padEnd(28)} ${((used * 1000) / result.total).toFixed(1)}`);
  }
}
await connector.stop();
await floor.stop();
rmSync(root, { recursive: true, force: true });
