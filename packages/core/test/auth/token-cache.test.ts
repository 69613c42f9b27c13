import { describe, expect, it } from 'vitest';
import { jwtExpiry } from '../../src/auth/jwt';
import { TokenCache } from '../../src/auth/token-cache';

const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('TokenCache', () => {
  it('serves a token until the margin before expiry (at most half its lifetime)', () => {
    let now = 0;
    const cache = new TokenCache({ now: () => now });
    cache.set('k', { token: 'long', expiresAt: 3_600_000 });
    now = 3_539_999;
    expect(cache.get('k')).toBe('long');
    now = 3_540_000;
    expect(cache.get('k')).toBeUndefined();

    now = 0;
    cache.set('short', { token: 's', expiresAt: 60_000 });
    now = 29_999;
    expect(cache.get('short')).toBe('s');
    now = 30_000;
    expect(cache.get('short')).toBeUndefined();
    cache.set('expired', { token: 'e', expiresAt: 10 });
    expect(cache.get('expired')).toBeUndefined();
  });

  it('shares one fetch between concurrent callers and caches the result', async () => {
    const cache = new TokenCache();
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 20));
      return { token: `t${fetches}`, expiresAt: Date.now() + 3_600_000 };
    };
    const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.getOrFetch('k', fetch)));
    expect(new Set(tokens)).toEqual(new Set(['t1']));
    expect(await cache.getOrFetch('k', fetch)).toBe('t1');
    expect(fetches).toBe(1);
  });

  it('a failed fetch is not cached and is shared by its waiters', async () => {
    const cache = new TokenCache();
    let fetches = 0;
    const failing = async () => {
      fetches++;
      throw new Error('token endpoint down');
    };
    const results = await Promise.allSettled([cache.getOrFetch('k', failing), cache.getOrFetch('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(fetches).toBe(1);
    await expect(cache.getOrFetch('k', async () => ({ token: 'ok', expiresAt: Date.now() + 120_000 }))).resolves.toBe('ok');
  });

  it('invalidates only the token that was refused', () => {
    const cache = new TokenCache();
    cache.set('k', { token: 'new', expiresAt: Date.now() + 3_600_000 });
    cache.invalidate('k', 'old');
    expect(cache.get('k')).toBe('new');
    cache.invalidate('k', 'new');
    expect(cache.get('k')).toBeUndefined();
  });

  it('one waiter aborting does not abort the shared fetch; all aborting does', async () => {
    const cache = new TokenCache();
    let fetchSignal: AbortSignal | undefined;
    let release: () => void = () => {};
    const fetch = (signal: AbortSignal) => {
      fetchSignal = signal;
      return new Promise<{ token: string; expiresAt: number }>((resolve, reject) => {
        release = () => resolve({ token: 't', expiresAt: Date.now() + 3_600_000 });
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    };
    const a = new AbortController();
    const b = new AbortController();
    const pa = cache.getOrFetch('k', fetch, a.signal);
    const pb = cache.getOrFetch('k', fetch, b.signal);
    a.abort(new Error('a gave up'));
    await expect(pa).rejects.toThrow('a gave up');
    expect(fetchSignal?.aborted).toBe(false);
    release();
    await expect(pb).resolves.toBe('t');

    const c = new AbortController();
    const pc = cache.getOrFetch('k2', fetch, c.signal);
    c.abort(new Error('c gave up'));
    await expect(pc).rejects.toThrow('c gave up');
    expect(fetchSignal?.aborted).toBe(true);
  });
});

describe('jwtExpiry', () => {
  it.each([
    [jwt({ exp: 1700000000 }), 1_700_000_000_000],
    [jwt({ exp: 'soon' }), undefined],
    [jwt({}), undefined],
    ['not-a-jwt', undefined],
    ['a.!!!.c', undefined],
    ['a..c', undefined],
  ])('%s -> %s', (token, expected) => {
    expect(jwtExpiry(token)).toBe(expected);
  });
});
