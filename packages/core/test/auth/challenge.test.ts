import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findBasicChallenge, findBearerChallenge, parseWwwAuthenticate } from '../../src/auth/challenge';

const plain = (header: string | null | undefined) =>
  parseWwwAuthenticate(header).map((c) => ({ scheme: c.scheme, params: { ...c.params }, ...(c.token68 !== undefined && { token68: c.token68 }) }));

describe('parseWwwAuthenticate', () => {
  it.each([
    [
      'ACR',
      'Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io",scope="repository:app:pull,push"',
      [{ scheme: 'bearer', params: { realm: 'https://r.azurecr.io/oauth2/token', service: 'r.azurecr.io', scope: 'repository:app:pull,push' } }],
    ],
    [
      'insufficient_scope',
      'Bearer realm="https://r/t",service="r",scope="repository:a:push",error="insufficient_scope"',
      [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 'r', scope: 'repository:a:push', error: 'insufficient_scope' } }],
    ],
    ['Basic', 'Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['case-insensitive scheme and names', 'BEARER Realm="x", SERVICE=y', [{ scheme: 'bearer', params: { realm: 'x', service: 'y' } }]],
    [
      'several challenges',
      'Basic realm="a", Bearer realm="https://t/x",service="s", Negotiate',
      [
        { scheme: 'basic', params: { realm: 'a' } },
        { scheme: 'bearer', params: { realm: 'https://t/x', service: 's' } },
        { scheme: 'negotiate', params: {} },
      ],
    ],
    [
      'escaped quotes and commas inside quotes',
      'Bearer realm="a \\"quoted\\", b",scope="repository:x:pull,push repository:y:pull"',
      [{ scheme: 'bearer', params: { realm: 'a "quoted", b', scope: 'repository:x:pull,push repository:y:pull' } }],
    ],
    ['spaces around =', 'Bearer realm = "x" , service= y', [{ scheme: 'bearer', params: { realm: 'x', service: 'y' } }]],
    ['bare URL values', 'Bearer realm=https://t/token?x=1,service=r', [{ scheme: 'bearer', params: { realm: 'https://t/token?x=1', service: 'r' } }]],
    ['token68', 'Negotiate abc+/==, Basic realm=x', [{ scheme: 'negotiate', params: {}, token68: 'abc+/==' }, { scheme: 'basic', params: { realm: 'x' } }]],
    ['empty quoted value', 'Bearer realm="",service="s"', [{ scheme: 'bearer', params: { realm: '', service: 's' } }]],
    ['unterminated quote', 'Bearer realm="abc', [{ scheme: 'bearer', params: { realm: 'abc' } }]],
    ['first duplicate wins', 'Bearer realm="a",realm="b"', [{ scheme: 'bearer', params: { realm: 'a' } }]],
    ['missing comma between challenges', 'Bearer realm="a" Basic realm="b"', [{ scheme: 'bearer', params: { realm: 'a' } }, { scheme: 'basic', params: { realm: 'b' } }]],
    ['__proto__ is data', 'Bearer __proto__="x"', [{ scheme: 'bearer', params: { __proto__: 'x' } }]],
    ['empty', '', []],
    ['only commas', ' , ,, ', []],
    ['garbage', '"=,;', []],
  ])('%s', (_name, header, expected) => {
    const parsed = plain(header);
    if (header.includes('__proto__')) {
      expect(Object.getOwnPropertyDescriptor(parseWwwAuthenticate(header)[0]?.params, '__proto__')?.value).toBe('x');
      return;
    }
    expect(parsed).toEqual(expected);
  });

  it('takes null and undefined', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });

  it('finds the Bearer challenge with a realm, and the Basic one', () => {
    const list = parseWwwAuthenticate('Bearer service="x", Basic realm="r", Bearer realm="https://t"');
    expect(findBearerChallenge(list)?.params.realm).toBe('https://t');
    expect(findBasicChallenge(list)?.params.realm).toBe('r');
    expect(findBearerChallenge(parseWwwAuthenticate('Basic realm=x'))).toBeUndefined();
  });
});

describe('parseWwwAuthenticate fuzzing', () => {
  const alphabet = fc.constantFrom(...'Bearer Basic realm=",\\ \t=scope:/a'.split(''));

  it('never throws and returns well-formed challenges for arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: alphabet, maxLength: 120 })), (header) =>
        parseWwwAuthenticate(header).every(
          (c) =>
            /^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(c.scheme) &&
            Object.entries(c.params).every(([k, v]) => k === k.toLowerCase() && typeof v === 'string'),
        ),
      ),
      { numRuns: 3000 },
    );
  });

  it('round-trips generated Bearer challenges with arbitrary quoted values', () => {
    const quote = (v: string) => `"${v.replace(/["\\]/g, (m) => `\\${m}`)}"`;
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (realm, service, scope) => {
        const header = `Bearer realm=${quote(realm)},service=${quote(service)},scope=${quote(scope)}, Basic realm="x"`;
        const [bearer, basic] = parseWwwAuthenticate(header);
        return bearer?.params.realm === realm && bearer.params.service === service && bearer.params.scope === scope && basic?.scheme === 'basic';
      }),
      { numRuns: 2000 },
    );
  });
});
