import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_HEADER, TOKEN_HEADER } from '../../../connector/contract';
import { generateKey, generateToken } from '../../../connector/credentials/key-format';
import { authenticate } from '../../../connector/security/authenticate';
import { createTestContext, type TestContext } from '../../helpers/harness';

// A wrong key for an existing token must cost what an unknown token costs, or response times
// would tell an attacker which tokens exist. Both are measured many times, interleaved (so load
// and CPU frequency drift hit both alike), in batches; the medians are compared.


let ctx: TestContext;
let token: string;
beforeAll(async () => {
  ctx = await createTestContext({ rateLimit: { requests: 100_000_000, windowSeconds: 60 } });
  // A store with more than one credential, so the lookup is a real index hit or miss.
  for (let i = 0; i < 10; i++) await ctx.createUser();
  token = (await ctx.createUser()).token;
});
afterAll(async () => {
  await ctx.close();
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Medians (ns per attempt) of `a` and `b`, measured in alternating batches. */
async function compare(a: () => unknown, b: () => unknown, samples: number, batchSize: number): Promise<{ a: number; b: number; ratio: number }> {
  const times = { a: [] as number[], b: [] as number[] };
  const batch = async (fn: () => unknown) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batchSize; i++) await fn();
    return Number(process.hrtime.bigint() - started) / batchSize;
  };
  for (let i = 0; i < 20; i++) await batch(i % 2 ? a : b); // warm-up
  for (let i = 0; i < samples; i++) {
    if (i % 2) {
      times.a.push(await batch(a));
      times.b.push(await batch(b));
    } else {
      times.b.push(await batch(b));
      times.a.push(await batch(a));
    }
  }
  const result = { a: median(times.a), b: median(times.b) };
  return { ...result, ratio: result.a / result.b };
}

const refused = (fn: () => unknown) => async () => {
  try {
    await fn();
  } catch {
    return;
  }
  throw new Error('expected a refusal');
};

describe('timing of credential checks', () => {
  it('a wrong key for an existing token and an unknown token take the same time in authenticate()', async () => {
    const security = ctx.services.store.security;
    const vault = ctx.services.vault;
    const now = new Date();
    const wrongKey = generateKey();
    const unknownToken = generateToken();
    const { a, b, ratio } = await compare(
      refused(() => authenticate({ token, key: wrongKey, ip: '127.0.0.1', now }, security, vault)),
      refused(() => authenticate({ token: unknownToken, key: wrongKey, ip: '127.0.0.1', now }, security, vault)),
      400,
      50,
    );
    console.log(`timing, authenticate(): wrong key ${(a / 1000).toFixed(2)} µs, unknown token ${(b / 1000).toFixed(2)} µs, ratio ${ratio.toFixed(3)}`);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  });

  it('and the same through the whole app (GET /v1/me → 401 invalid_credentials)', async () => {
    const wrongKey = generateKey();
    const unknownToken = generateToken();
    const ask = (headers: Record<string, string>) => async () => {
      const response = await ctx.app.request('/v1/me', { headers });
      if (response.status !== 401) throw new Error(`expected 401, got ${response.status}`);
      await response.arrayBuffer();
    };
    const { a, b, ratio } = await compare(
      ask({ [TOKEN_HEADER]: token, [KEY_HEADER]: wrongKey }),
      ask({ [TOKEN_HEADER]: unknownToken, [KEY_HEADER]: wrongKey }),
      150,
      15,
    );
    console.log(`timing, app.request(): wrong key ${(a / 1000).toFixed(1)} µs, unknown token ${(b / 1000).toFixed(1)} µs, ratio ${ratio.toFixed(3)}`);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  }, 60_000);
});
