/**
 * The fault proxy's rule book and body manglers: which occurrence a rule hits, and that mangled bodies
 * really are broken (a fault that silently did nothing would make every fault test pass vacuously).
 */
import { describe, expect, it } from 'vitest';
import { corruptJson, rewriteRealm, RuleBook, scopeFor, truncate, wrongDigest, type RequestTraits } from './fault-rules';

const anon: RequestTraits = { authorized: false, reusedBearer: false };
const used: RequestTraits = { authorized: true, reusedBearer: true };

describe('RuleBook', () => {
  it('faults occurrences nth .. nth+count-1 of matching requests only', () => {
    const book = new RuleBook([{ method: 'PUT', path: /manifests/, nth: 2, count: 2, fault: { kind: 'status', status: 503 } }]);
    const hits = [1, 2, 3, 4, 5].map(() => book.pick('PUT', '/v2/a/manifests/v1', anon)?.fault.kind);
    expect(hits).toEqual([undefined, 'status', 'status', undefined, undefined]);
    expect(book.pick('GET', '/v2/a/manifests/v1', anon)).toBeUndefined();
  });

  it('expire-token only hits requests carrying a token used before; authorizedOnly skips anonymous ones', () => {
    const book = new RuleBook([
      { path: /tags/, fault: { kind: 'expire-token' } },
      { path: /blobs/, authorizedOnly: true, fault: { kind: 'wrong-digest' } },
    ]);
    expect(book.pick('GET', '/v2/a/tags/list', { authorized: true, reusedBearer: false })).toBeUndefined();
    expect(book.pick('GET', '/v2/a/tags/list', used)?.fault.kind).toBe('expire-token');
    expect(book.pick('GET', '/v2/a/blobs/x', anon)).toBeUndefined();
    expect(book.pick('GET', '/v2/a/blobs/x', used)?.fault.kind).toBe('wrong-digest');
  });

  it('the first applicable rule wins while every matching rule counts', () => {
    const book = new RuleBook([
      { path: /x/, fault: { kind: 'stall', ms: 1 } },
      { path: /x/, nth: 1, count: 2, fault: { kind: 'status', status: 500 } },
    ]);
    expect([1, 2, 3].map(() => book.pick('GET', '/x', anon)?.fault.kind)).toEqual(['stall', 'status', undefined]);
  });
});

describe('manglers', () => {
  const json = Buffer.from(JSON.stringify({ name: 'a', tags: ['v1', 'v2'] }));

  it('truncate and corruptJson leave text JSON.parse refuses', () => {
    expect(() => JSON.parse(truncate(json).toString())).toThrow();
    expect(() => JSON.parse(corruptJson(json).toString())).toThrow();
    expect(corruptJson(json).length).toBe(json.length);
  });

  it('wrongDigest is a well-formed digest different from the one given', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(wrongDigest(d)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(wrongDigest(d)).not.toBe(d);
  });

  it('rewriteRealm points the realm at the proxy and keeps the rest', () => {
    const h = 'Bearer realm="https://127.0.0.1:1/oauth2/token",service="127.0.0.1:1",scope="repository:a:pull"';
    expect(rewriteRealm(h, 'https://127.0.0.1:1', 'https://127.0.0.1:2')).toBe(h.replace('realm="https://127.0.0.1:1', 'realm="https://127.0.0.1:2'));
  });

  it('scopeFor names the repository and the actions of a method', () => {
    expect(scopeFor('HEAD', '/v2/team/app/manifests/v1')).toBe('repository:team/app:pull');
    expect(scopeFor('PUT', '/v2/team/app/blobs/uploads/x?digest=y')).toBe('repository:team/app:pull,push');
    expect(scopeFor('GET', '/v2/_catalog')).toBeUndefined();
  });
});
