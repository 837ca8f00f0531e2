import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { apiUser, startCluster, type ConnectorCluster } from '../../helpers/connector-cluster';
import { TEST_ENV } from '../../helpers/connector-process';
import { describeWithPostgres } from '../../helpers/postgres';

// Contract v1.1, "Running on PostgreSQL": the per-credential rate limit holds for the cluster as a
// whole, accepted requests between 0.95·N and 1.5·N per window. Three instances each counting alone
// would accept up to 3·N.

const LIMIT = 60;
const WINDOW_MS = 5_000;
const LOOPS = 12;
/** The burst needs this much of a window; with less left it waits for the next one to begin. */
const BURST_NEEDS_MS = 3_000;

describeWithPostgres('the rate limit of 3 instances on one database', () => {
  let cluster: ConnectorCluster;
  beforeAll(async () => {
    cluster = await startCluster(3, { ...TEST_ENV, SHEETGATE_RATE_LIMIT: `${LIMIT}/${WINDOW_MS / 1000}` });
  });
  afterAll(async () => cluster?.stop());

  it(`accepts between 0.95·N and 1.5·N of a burst well over N = ${LIMIT} spread over the instances within one window`, async () => {
    const { urls, admin } = cluster;
    const { credential } = await apiUser(urls[0], admin, 'limited');
    const headers = { [TOKEN_HEADER]: credential.token, [KEY_HEADER]: credential.key };

    // The instances count in windows aligned to multiples of the window length (one clock here).
    const windowOf = (time: number) => Math.floor(time / WINDOW_MS) * WINDOW_MS;
    if (windowOf(Date.now()) + WINDOW_MS - Date.now() < BURST_NEEDS_MS) {
      await new Promise((resolve) => setTimeout(resolve, windowOf(Date.now()) + WINDOW_MS - Date.now() + 20));
    }
    const windowStart = windowOf(Date.now());
    const windowEnd = windowStart + WINDOW_MS;
    const stopAt = windowEnd - 500;

    const answers: Array<{ instance: number; status: number; code?: string; retryAfter: string | null }> = [];
    const loop = async (index: number) => {
      const instance = index % urls.length;
      let sent = 0;
      while (sent < (4 * LIMIT) / LOOPS && Date.now() < stopAt) {
        sent++;
        const response = await fetch(`${urls[instance]}/v1/me`, { headers });
        const body = await response.json();
        // Only an answer that came before the window ended was surely counted in it.
        if (Date.now() < windowEnd) answers.push({ instance, status: response.status, code: body?.error?.code, retryAfter: response.headers.get('Retry-After') });
      }
    };
    await Promise.all(Array.from({ length: LOOPS }, (_, index) => loop(index)));

    expect(answers.length, 'requests sent and answered inside the window').toBeGreaterThanOrEqual(2 * LIMIT);
    const accepted = answers.filter((answer) => answer.status === 200);
    const perInstance = urls.map((_, instance) => accepted.filter((answer) => answer.instance === instance).length);
    expect(accepted.length, `accepted per instance: ${perInstance.join(', ')}`).toBeGreaterThanOrEqual(Math.ceil(0.95 * LIMIT));
    expect(accepted.length, `accepted per instance: ${perInstance.join(', ')}`).toBeLessThanOrEqual(Math.floor(1.5 * LIMIT));
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(new Set(refused.map((answer) => `${answer.status} ${answer.code}`))).toEqual(new Set(['429 rate_limited']));
    expect(refused.every((answer) => Number(answer.retryAfter) >= 1 && Number(answer.retryAfter) <= WINDOW_MS / 1000)).toBe(true);
    // Every instance refused while it had accepted fewer than N itself: it counted the others too.
    for (const instance of urls.keys()) {
      expect(perInstance[instance]).toBeLessThan(LIMIT);
      expect(refused.some((answer) => answer.instance === instance)).toBe(true);
    }
  });
});
