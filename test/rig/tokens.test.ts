/** Pure parts of the rig's token handling: scope parsing, grants, JWT checks. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { decodeJwt, signJwt, verifyJwt } from './jwt';
import { grant, parseScope, permissionsOfRoles } from './scopes';

describe('parseScope', () => {
  test.each([
    ['repository:a/b:pull,push', { type: 'repository', name: 'a/b', actions: ['pull', 'push'] }],
    ['repository:x:metadataRead,metadataWrite', { type: 'repository', name: 'x', actions: ['metadata_read', 'metadata_write'] }],
    ['artifact-repository:x:pull', { type: 'repository', name: 'x', actions: ['pull'] }],
    ['registry:catalog:*', { type: 'registry', name: 'catalog', actions: ['*'] }],
    ['nonsense', undefined],
    ['a:b', undefined],
  ])('%s', (scope, expected) => {
    expect(parseScope(scope)).toEqual(expected);
  });
});

describe('grant', () => {
  test('intersects with roles and drops empty grants', () => {
    const pull = permissionsOfRoles(['AcrPull']);
    expect(grant([parseScope('repository:x:pull,push,delete')!, parseScope('registry:catalog:*')!], pull)).toEqual([{ type: 'repository', name: 'x', actions: ['pull'] }]);
    expect(grant([parseScope('repository:x:*')!], permissionsOfRoles(['AcrPush', 'AcrDelete']))[0]!.actions).toEqual(['pull', 'push', 'delete', 'metadata_read', 'metadata_write']);
  });

  test('rejects unknown roles by name', () => {
    expect(() => permissionsOfRoles(['Boss' as never])).toThrow(/unknown role "Boss"/);
  });
});

describe('JWT', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = 1_800_000_000;
  const token = signJwt({ aud: 'a', iss: 'i', exp: now + 60 }, privateKey, { kid: 'k' });

  test('round trip with header fields', () => {
    expect(decodeJwt(token).header).toMatchObject({ alg: 'RS256', kid: 'k' });
    expect(verifyJwt(token, publicKey, { audience: ['a'], issuer: 'i', nowSeconds: now })).toMatchObject({ aud: 'a' });
  });

  test.each([
    ['another key', () => verifyJwt(token, other.publicKey, { nowSeconds: now }), /signature/],
    ['expiry', () => verifyJwt(token, publicKey, { nowSeconds: now + 61 }), /expired/],
    ['audience', () => verifyJwt(token, publicKey, { audience: 'b', nowSeconds: now }), /audience/],
    ['issuer', () => verifyJwt(token, publicKey, { issuer: 'j', nowSeconds: now }), /issuer/],
    ['shape', () => verifyJwt('a.b', publicKey), /three/],
  ])('refuses on %s', (_what, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('canonicalChallenge', () => {
  test('orders scope actions pull,push whatever Distribution chose', async () => {
    const { canonicalChallenge } = await import('./acr-errors');
    expect(canonicalChallenge('Bearer realm="r",service="s",scope="repository:a:push,pull",error="insufficient_scope"')).toBe(
      'Bearer realm="r",service="s",scope="repository:a:pull,push",error="insufficient_scope"',
    );
    expect(canonicalChallenge('Bearer realm="r",service="s"')).toBe('Bearer realm="r",service="s"');
  });
});
