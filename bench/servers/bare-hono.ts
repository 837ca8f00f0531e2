import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// The stack's floor for row 1: Hono on @hono/node-server, one route answering the same JSON the
// connector answers (serialized per request, as the connector does), nothing else.
const { values } = parseArgs({ options: { port: { type: 'string' }, body: { type: 'string' } } });
const page: unknown = JSON.parse(readFileSync(values.body as string, 'utf8'));

const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));
app.get('/v1/tables/:table', (c) => c.json(page as object));

serve({ fetch: app.fetch, port: Number(values.port), hostname: '127.0.0.1' });

// Exit cleanly on a signal, so `node --cpu-prof` writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
