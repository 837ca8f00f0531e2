import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../helpers/harness';

// Found while measuring the audit's size cap: every refused request is audited with its path, and
// anonymous callers choose the path. With ~16 KB URLs, about a thousand anonymous requests filled
// both 8 MB generations and rotated every admin action out of the log. Refusal lines are now bounded.

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => {
  await ctx.close();
});

it('keeps each refused request\'s audit line small, however long the URL', async () => {
  const key = (await ctx.createUser()).key;
  const long = `/v1/tables/${'x'.repeat(12_000)}`;
  for (let i = 0; i < 20; i++) expect((await ctx.request('GET', `${long}${i}`)).status).toBe(401);
  expect((await ctx.request('GET', `/admin/${key}/${'y'.repeat(12_000)}`)).status).toBe(401);
  await ctx.services.store.audit.flush();

  const lines = (await readFile(join(ctx.dataDir, 'refusals.jsonl'), 'utf8')).trim().split('\n');
  const refusals = lines.map((line) => JSON.parse(line)).filter((entry) => entry.outcome === 'missing_credentials');
  expect(refusals).toHaveLength(21);
  for (const entry of refusals) {
    expect(entry.target.length).toBeLessThanOrEqual(201);
    expect(entry.target.startsWith('/v1/tables/xxx') || entry.target.startsWith('/admin/sgk_[redacted]/yyy')).toBe(true);
  }
  expect(Math.max(...lines.map((line) => Buffer.byteLength(line)))).toBeLessThan(600);
  expect(lines.join('\n')).not.toContain(key.slice(4));
});
