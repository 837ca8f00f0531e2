import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

// Row 1's floor for any authenticated route: bare Hono plus the least a credential check must do
// (find the token, HMAC the presented key, compare in constant time), answering the same JSON.
const { values } = parseArgs({ options: { port: { type: 'string' }, body: { type: 'string' }, token: { type: 'string' }, key: { type: 'string' } } });
const page: unknown = JSON.parse(readFileSync(values.body as string, 'utf8'));
const secret = Buffer.alloc(32, 7);
const digest = (key: string) => createHmac('sha256', secret).update(key).digest();
const credentials = new Map([[values.token as string, digest(values.key as string)]]);

const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));
app.get('/v1/tables/:table', (c) => {
  const expected = credentials.get(c.req.header('x-api-token') ?? '');
  const given = digest(c.req.header('x-api-key') ?? '');
  if (!expected || !timingSafeEqual(expected, given)) return c.json({ error: { code: 'invalid_credentials', message: 'no' } }, 401);
  return c.json(page as object);
});

serve({ fetch: app.fetch, port: Number(values.port), hostname: '127.0.0.1' });

// Exit cleanly on a signal, so `node --cpu-prof` writes its profile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => process.exit(0));
