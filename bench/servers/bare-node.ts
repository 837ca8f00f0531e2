import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

// The floor below Hono for row 1: node:http answering the same JSON, serialized per request.
const { values } = parseArgs({ options: { port: { type: 'string' }, body: { type: 'string' } } });
const page: unknown = JSON.parse(readFileSync(values.body as string, 'utf8'));

createServer((req, res) => {
  const body = req.url === '/healthz' ? '{"ok":true}' : JSON.stringify(page);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(values.port), '127.0.0.1');

// Exit cleanly on a signal, so `node --cpu-prof` writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
