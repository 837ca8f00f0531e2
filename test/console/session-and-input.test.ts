import { describe, expect, it } from 'vitest';
import { firstBadIp, isIpOrRange, splitIpList } from '../../console/src/ip-list';
import { hrefOf, parseView } from '../../console/src/routes';
import { Session, type SessionStore } from '../../console/src/session';

function memoryStore(): SessionStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('Session (sessionStorage or memory, never anything else)', () => {
  it('keeps a sign-in across a reload of the tab and forgets it on sign out', () => {
    const store = memoryStore();
    new Session(store).save({ kind: 'pair', token: 'sgt_t', key: 'sgk_k' });
    expect(new Session(store).load()).toEqual({ kind: 'pair', token: 'sgt_t', key: 'sgk_k' });
    const session = new Session(store);
    session.forget();
    expect(store.data.size).toBe(0);
    expect(session.load()).toBeNull();
  });

  it('works in memory when storage is blocked, and ignores a damaged entry', () => {
    const blocked: SessionStore = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
      removeItem: () => {
        throw new Error('blocked');
      },
    };
    const session = new Session(blocked);
    session.save({ kind: 'admin-key', adminKey: 'k' });
    expect(session.load()).toEqual({ kind: 'admin-key', adminKey: 'k' });
    session.forget();
    expect(session.load()).toBeNull();
    const store = memoryStore();
    store.data.set('sheetgate.console.sign-in', '{"kind":"pair","token":1}');
    expect(new Session(store).load()).toBeNull();
  });
});

describe('Allowed IP addresses, checked as you type', () => {
  it('accepts IPv4 and IPv6 addresses and CIDR ranges, one per line or comma separated', () => {
    expect(splitIpList(' 10.0.0.1,\n2001:db8::/32  192.168.0.0/16\n')).toEqual(['10.0.0.1', '2001:db8::/32', '192.168.0.0/16']);
    for (const good of ['127.0.0.1', '0.0.0.0/0', '10.0.0.0/8', '::1', '::', '2001:db8::/128', '::ffff:10.0.0.1']) expect(isIpOrRange(good), good).toBe(true);
  });

  it('names the first entry that is neither', () => {
    for (const bad of ['10.0.0', '256.1.1.1', '01.2.3.4', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', 'localhost', '2001:db8:::1', '10.0.0.0/']) {
      expect(isIpOrRange(bad), bad).toBe(false);
    }
    expect(firstBadIp('127.0.0.1\n10.0.0/8\nnope')).toBe('10.0.0/8');
    expect(firstBadIp('')).toBeNull();
  });
});

describe('console pages in the URL fragment (ids only, never a credential)', () => {
  it('round-trips every page and falls back to the user list', () => {
    for (const view of [{ page: 'users' }, { page: 'new-user' }, { page: 'user', id: 'a b/c' }, { page: 'organizations' }, { page: 'teams' }, { page: 'audit' }] as const) {
      expect(parseView(hrefOf(view))).toEqual(view);
    }
    expect(parseView('#/nonsense/1/2')).toEqual({ page: 'users' });
    expect(parseView('')).toEqual({ page: 'users' });
  });
});
