import { describe, expect, it } from 'vitest';
import { PrincipalCache } from '../../../../connector/store/postgres/principal-cache';
import type { CredentialHolder } from '../../../../connector/store/types';
import { credentialFixture, userFixture } from './store-fixtures';

function holderOf(name: string): CredentialHolder {
  const user = userFixture({ username: name, organizations: ['org-a'] });
  return { credential: credentialFixture(user.id), user, organizations: [] };
}

describe('PrincipalCache', () => {
  it('hands a kept principal out only for the version it was read under', () => {
    const cache = new PrincipalCache();
    const holder = holderOf('ann');
    expect(cache.holds('sgt_a')).toBe(false);
    cache.keep('sgt_a', 7, holder);
    expect(cache.holds('sgt_a')).toBe(true);
    expect(cache.take('sgt_a', 7)?.holder).toBe(holder);
    expect(cache.take('sgt_b', 7)).toBeUndefined();
    // A change anywhere moved the version: everything kept under 7 is gone, for good.
    expect(cache.take('sgt_a', 8)).toBeUndefined();
    expect(cache.holds('sgt_a')).toBe(false);
    expect(cache.take('sgt_a', 7)).toBeUndefined();
  });

  it('keeps an unknown token as unknown, so its next refusal costs what a known token\'s does', () => {
    const cache = new PrincipalCache();
    cache.keep('sgt_none', 3, undefined);
    expect(cache.holds('sgt_none')).toBe(true);
    expect(cache.take('sgt_none', 3)).toEqual({ holder: undefined, at: expect.any(Number) });
    expect(cache.take('sgt_none', 4)).toBeUndefined();
  });

  it('does not keep a principal read under an older version than one already seen', () => {
    const cache = new PrincipalCache();
    cache.keep('sgt_a', 9, holderOf('ann'));
    cache.keep('sgt_b', 8, holderOf('bob'));
    expect(cache.holds('sgt_b')).toBe(false);
    expect(cache.take('sgt_a', 9)).toBeDefined();
  });

  it('reads again after 30 s even with nothing changed, and keeps at most its limit, oldest out first', () => {
    let now = 0;
    const cache = new PrincipalCache(() => now, 2);
    cache.keep('sgt_a', 1, holderOf('ann'));
    now = 30_001;
    expect(cache.take('sgt_a', 1)).toBeUndefined();
    cache.keep('sgt_a', 1, holderOf('ann'));
    cache.keep('sgt_b', 1, holderOf('bob'));
    cache.keep('sgt_c', 1, holderOf('cid'));
    expect([cache.holds('sgt_a'), cache.holds('sgt_b'), cache.holds('sgt_c')]).toEqual([false, true, true]);
  });

  it('freezes what it keeps: one request cannot change what the next one is handed', () => {
    const cache = new PrincipalCache();
    const holder = holderOf('ann');
    cache.keep('sgt_a', 1, holder);
    const kept = cache.take('sgt_a', 1)!.holder!;
    expect(() => (kept.user!.organizations as string[]).push('org-b')).toThrow(TypeError);
    expect(() => Object.assign(kept.credential, { revokedAt: null })).toThrow(TypeError);
  });
});
