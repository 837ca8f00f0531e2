import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startConnector, tempDataDir, TEST_ENV, type RunningConnector } from '../../helpers/connector-process';
import { createTestContext, type TestContext } from '../../helpers/harness';

// With a limit of N requests per window, a flood gets between 0.95·N and 1.5·N accepted per
// window, and every 429 carries Retry-After (whole seconds, within the window) and the contract body.

const N = 100;
const WINDOW_SECONDS = 60;

async function checkRefusal(response: Response): Promise<string | null> {
  const retryAfter = response.headers.get('retry-after');
  const body = await response.json();
  if (body.error?.code !== 'rate_limited') return `429 with code ${body.error?.code}`;
  if (response.headers.get('cache-control') !== 'no-store') return '429 without Cache-Control: no-store';
  if (retryAfter === null || !/^\d+$/.test(retryAfter)) return `429 with Retry-After ${retryAfter}`;
  const seconds = Number(retryAfter);
  if (seconds < 1 || seconds > WINDOW_SECONDS) return `429 with Retry-After ${seconds} outside 1..${WINDOW_SECONDS}`;
  return null;
}

describe('rate limit accuracy (in-process, on a controlled clock)', () => {
  let ctx: TestContext;
  let clock = Date.parse('2030-01-01T00:00:00.000Z');
  afterAll(async () => {
    await ctx?.close();
  });

  it(`accepts between 0.95·N and 1.5·N per window for N = ${N}, window after window, and every 429 says when to retry`, async () => {
    ctx = await createTestContext({ rateLimit: { requests: N, windowSeconds: WINDOW_SECONDS } }, () => new Date(clock));
    const alice = await ctx.createUser();
    const perWindow: number[] = [];
    const problems: string[] = [];
    // Ten windows of overload: 3·N requests each, spread evenly over the window, in bursts of 10.
    for (let window = 0; window < 10; window++) {
      let accepted = 0;
      for (let step = 0; step < (3 * N) / 10; step++) {
        const burst = await Promise.all(Array.from({ length: 10 }, () => ctx.request('GET', '/v1/me', { headers: alice.headers })));
        for (const response of burst) {
          if (response.status === 200) accepted++;
          else if (response.status === 429) {
            const problem = await checkRefusal(response);
            if (problem) problems.push(problem);
          } else problems.push(`unexpected ${response.status}`);
        }
        clock += (WINDOW_SECONDS * 1000) / ((3 * N) / 10);
      }
      perWindow.push(accepted);
    }
    console.log(`rate limit, in-process: N = ${N} per ${WINDOW_SECONDS} s, 3·N offered per window; accepted per window: ${perWindow.join(', ')}`);
    expect(problems).toEqual([]);
    for (const accepted of perWindow) {
      expect(accepted).toBeGreaterThanOrEqual(0.95 * N);
      expect(accepted).toBeLessThanOrEqual(1.5 * N);
    }
  });

  it('counts per credential: another credential keeps its own allowance, and a refused request is not served', async () => {
    const bob = await ctx.createUser();
    const carol = await ctx.createUser();
    for (let i = 0; i < N; i++) expect((await ctx.request('GET', '/v1/me', { headers: bob.headers })).status).toBe(200);
    expect((await ctx.request('GET', '/v1/tables', { headers: bob.headers })).status).toBe(429);
    expect((await ctx.request('GET', '/v1/me', { headers: carol.headers })).status).toBe(200);
  });
});

describe('rate limit accuracy (real server, real clock)', () => {
  let dataDir: string | undefined;
  let connector: RunningConnector | undefined;
  afterAll(async () => {
    await connector?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lets between 0.95·N and 1.5·N of a concurrent flood through within one window, every 429 with Retry-After', async () => {
    const limit = 50;
    dataDir = await tempDataDir();
    const pair = JSON.parse((await runCli(['bootstrap-admin', '--data', dataDir, '--username', 'root', '--email', 'root@rate.example', '--json'])).stdout);
    connector = await startConnector(dataDir, ['--no-demo'], { ...TEST_ENV, SHEETGATE_RATE_LIMIT: `${limit}/${WINDOW_SECONDS}` });
    const headers = { 'X-Api-Token': pair.token, 'X-Api-Key': pair.key };
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 4 * limit }, () => fetch(`${connector!.url}/v1/me`, { headers })));
    const elapsed = Date.now() - started;
    const accepted = responses.filter((response) => response.status === 200).length;
    const problems: string[] = [];
    for (const response of responses) {
      if (response.status === 200) await response.arrayBuffer();
      else if (response.status === 429) {
        const problem = await checkRefusal(response);
        if (problem) problems.push(problem);
      } else problems.push(`unexpected ${response.status}`);
    }
    console.log(`rate limit, real server: N = ${limit} per ${WINDOW_SECONDS} s, ${4 * limit} concurrent requests in ${elapsed} ms; accepted ${accepted}`);
    expect(problems).toEqual([]);
    expect(elapsed).toBeLessThan(WINDOW_SECONDS * 1000);
    expect(accepted).toBeGreaterThanOrEqual(0.95 * limit);
    expect(accepted).toBeLessThanOrEqual(1.5 * limit);
  }, 60_000);
});
