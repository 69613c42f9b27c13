import { describe, expect, test } from 'vitest';
import { parseV2Operation, scopeOf } from './v2-operation';

describe('parseV2Operation', () => {
  test.each([
    ['GET', '/v2/', { kind: 'base' }, undefined],
    ['GET', '/v2/_catalog', { kind: 'catalog' }, 'registry:catalog:*'],
    ['GET', '/v2/a/b/tags/list', { kind: 'tags', repository: 'a/b' }, 'repository:a/b:pull'],
    ['PUT', '/v2/a/manifests/v1', { kind: 'manifest', repository: 'a', reference: 'v1' }, 'repository:a:pull,push'],
    ['DELETE', '/v2/a/manifests/sha256%3Aabc', { kind: 'manifest', repository: 'a', reference: 'sha256:abc' }, 'repository:a:delete'],
    ['POST', '/v2/x/blobs/uploads/', { kind: 'upload', repository: 'x' }, 'repository:x:pull,push'],
    ['PATCH', '/v2/x/y/blobs/uploads/0f1e-uuid', { kind: 'upload', repository: 'x/y', reference: '0f1e-uuid' }, 'repository:x/y:pull,push'],
    ['HEAD', '/v2/x/blobs/sha256:abc', { kind: 'blob', repository: 'x', reference: 'sha256:abc' }, 'repository:x:pull'],
    ['GET', '/v2/a/manifests/b/manifests/c', { kind: 'manifest', repository: 'a/manifests/b', reference: 'c' }, 'repository:a/manifests/b:pull'],
    ['GET', '/v2/x/referrers/sha256:abc', { kind: 'referrers', repository: 'x', reference: 'sha256:abc' }, 'repository:x:pull'],
    ['GET', '/v2/nothing', { kind: 'other' }, undefined],
  ])('%s %s', (method, path, expected, scope) => {
    const op = parseV2Operation(method, path);
    expect(op).toMatchObject(expected);
    expect(scopeOf(op)).toBe(scope);
  });
});
