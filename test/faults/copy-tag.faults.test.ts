/**
 * Copy and tag under faults, through the fault proxy in front of the rig. Outcomes are checked
 * directly on the rig: a tag that exists names a complete image, and a failed operation adds no tag
 * past the point where it failed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../../packages/core/src/http/network-error';
import { RegistryError } from '../../packages/core/src/http/registry-error';
import { DigestMismatchError } from '../../packages/core/src/oci/digest';
import { copyImage } from '../../packages/core/src/registry/copy-image';
import { ImageOperationError } from '../../packages/core/src/registry/image-operation-error';
import { pushImage } from '../../packages/core/src/registry/push-image';
import { tagImage } from '../../packages/core/src/registry/tag-image';
import { openOciLayout } from '../../packages/core/src/sources/oci-layout-source';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import { abortAfter } from './abort-after';
import type { FaultRule } from './fault-proxy';
import { countSeen, expectCompleteImage, rejection, startFaultBench, tagsOnRig, type FaultBench } from './fault-bench';

let bench: FaultBench;
let image: OciLayoutResult;
const messages: string[] = [];
let counter = 0;
const SOURCE = 'faults/source';

beforeAll(async () => {
  bench = await startFaultBench();
  image = await generateOciLayout({ dir: join(bench.work, 'src'), layers: 3, layerSize: 32 * 1024, seed: `copy-tag-${Date.now()}`, tag: 'v1' });
  const source = await openOciLayout(image.dir);
  await pushImage(source, bench.direct(SOURCE), { tags: ['v1'] }).finally(() => source.close());
}, 120_000);

afterAll(async () => {
  await bench?.stop(messages);
});

const fresh = (what: string) => `faults/${what}-${++counter}`;

describe('copy (same registry: blobs mounted)', () => {
  it.each<[string, FaultRule[]]>([
    ['503 on the first mount POST', [{ method: 'POST', path: /mount=/, fault: { kind: 'status', status: 503 } }]],
    ['a lost 201 on a mount (the mount took effect)', [{ method: 'POST', path: /mount=/, fault: { kind: 'reset-response' } }]],
    ['an expired token on a mount', [{ method: 'POST', path: /mount=/, fault: { kind: 'expire-token' } }]],
  ])('completes despite %s', async (_name, rules) => {
    const target = fresh('copy');
    bench.proxy.injectOnly(...rules);
    const result = await copyImage(bench.faulty(SOURCE), 'v1', bench.faulty(target));
    expect(result.digest).toBe(image.manifestDigest);
    expect(bench.proxy.records.some((r) => r.fault !== undefined), 'the fault was injected').toBe(true);
    await expectCompleteImage(bench.direct(target), 'v1', image.manifestDigest);
  });

  it.each<[string, FaultRule]>([
    ['truncated', { method: 'GET', path: /faults\/source\/manifests\//, count: Infinity, fault: { kind: 'truncate-json' } }],
    ['corrupted', { method: 'GET', path: /faults\/source\/manifests\//, count: Infinity, fault: { kind: 'corrupt-json' } }],
    ['answered with a wrong digest', { method: 'HEAD', path: /faults\/source\/manifests\/v1$/, count: Infinity, fault: { kind: 'wrong-digest' } }],
  ])('fails on the source side, adding no tag, when the source manifest is %s', async (_name, rule) => {
    const target = fresh('copy');
    bench.proxy.injectOnly(rule);
    const err = await rejection(copyImage(bench.faulty(SOURCE), 'v1', bench.faulty(target)));
    messages.push(err.message);
    expect(ImageOperationError.is(err, 'source'), err.message).toBe(true);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  });

  it('fails on the source side with a NetworkError naming the manifest when its body is cut on both reads, adding no tag', async () => {
    const target = fresh('copy');
    bench.proxy.injectOnly({ method: 'GET', path: /faults\/source\/manifests\//, authorizedOnly: true, count: Infinity, fault: { kind: 'reset-response', afterBytes: 50 } });
    const err = await rejection(copyImage(bench.faulty(SOURCE), 'v1', bench.faulty(target)));
    messages.push(err.message);
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response'), 'one retry, no more').toHaveLength(2);
    expect(ImageOperationError.is(err, 'source')).toBe(true);
    expect(NetworkError.is(err.cause, 'CONNECTION_RESET')).toBe(true);
    expect(err.message).toMatch(/connection closed while reading manifest 127\.0\.0\.1:\d+\/faults\/source@sha256:[0-9a-f]{64} \(50 bytes in\)/);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  });

  it('retries a manifest GET whose body is cut mid-read once, and completes', async () => {
    const target = fresh('copy');
    bench.proxy.injectOnly({ method: 'GET', path: /faults\/source\/manifests\//, authorizedOnly: true, fault: { kind: 'reset-response', afterBytes: 50 } });
    const result = await copyImage(bench.faulty(SOURCE), 'v1', bench.faulty(target));
    expect(result.digest).toBe(image.manifestDigest);
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response'), 'the fault was injected').toHaveLength(1);
    await expectCompleteImage(bench.direct(target), 'v1', image.manifestDigest);
  });

  it('fails on the destination side after 5 attempts of a 500 manifest PUT, adding no tag', async () => {
    const target = fresh('copy');
    bench.proxy.injectOnly({ method: 'PUT', path: /\/manifests\//, count: Infinity, fault: { kind: 'status', status: 500 } });
    const err = await rejection(copyImage(bench.faulty(SOURCE), 'v1', bench.faulty(target)));
    messages.push(err.message);
    expect(ImageOperationError.is(err, 'destination')).toBe(true);
    expect((err.cause as RegistryError).status).toBe(500);
    expect(countSeen(bench.proxy, 'PUT', /\/manifests\//)).toBe(5);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  });

  it('an abort ends a copy stalled on a mount within 2 s', async () => {
    const target = fresh('copy');
    bench.proxy.injectOnly({ method: 'POST', path: /mount=/, count: Infinity, fault: { kind: 'stall' } });
    const ended = await abortAfter(300, (signal) => copyImage(bench.faulty(SOURCE), 'v1', bench.faulty(target), { signal }));
    expect(ended.resolved).toBe(false);
    expect(ended.msAfterAbort).toBeLessThan(2000);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  });
});

describe('tag', () => {
  it.each<[string, FaultRule[]]>([
    ['a lost answer to a tag PUT (it took effect)', [{ method: 'PUT', path: /\/manifests\/b$/, fault: { kind: 'status', status: 502, forward: true } }]],
    ['an expired token on a tag PUT', [{ method: 'PUT', path: /\/manifests\/[ab]$/, fault: { kind: 'expire-token' } }]],
    ['429 Retry-After: 0 on the manifest GET', [{ method: 'GET', path: /\/manifests\/v1$/, fault: { kind: 'status', status: 429, retryAfter: '0' } }]],
  ])('puts every tag despite %s', async (_name, rules) => {
    const repo = fresh('tag');
    await copyImage(bench.direct(SOURCE), 'v1', bench.direct(repo));
    bench.proxy.injectOnly(...rules);
    const result = await tagImage(bench.faulty(repo), 'v1', ['a', 'b']);
    expect(result).toMatchObject({ digest: image.manifestDigest, tags: ['a', 'b'] });
    expect(bench.proxy.records.some((r) => r.fault !== undefined)).toBe(true);
    expect(await tagsOnRig(bench.direct(repo))).toEqual(['a', 'b', 'v1']);
    for (const tag of ['a', 'b']) await expectCompleteImage(bench.direct(repo), tag, image.manifestDigest);
  });

  it('refuses a manifest whose Docker-Content-Digest does not match its bytes, adding no tag', async () => {
    const repo = fresh('tag');
    await copyImage(bench.direct(SOURCE), 'v1', bench.direct(repo));
    bench.proxy.injectOnly({ method: 'GET', path: /\/manifests\/v1$/, authorizedOnly: true, fault: { kind: 'wrong-digest' } });
    const err = await rejection(tagImage(bench.faulty(repo), 'v1', ['a']));
    messages.push(err.message);
    expect(err.cause).toBeInstanceOf(DigestMismatchError);
    expect(await tagsOnRig(bench.direct(repo))).toEqual(['v1']);
  });

  it('stops at the first tag that keeps failing: earlier tags stay (complete), later ones are not put', async () => {
    const repo = fresh('tag');
    await copyImage(bench.direct(SOURCE), 'v1', bench.direct(repo));
    bench.proxy.injectOnly({ method: 'PUT', path: /\/manifests\/b$/, count: Infinity, fault: { kind: 'status', status: 503 } });
    const tagged: string[] = [];
    const err = await rejection(tagImage(bench.faulty(repo), 'v1', ['a', 'b', 'c'], { onTagged: (t) => tagged.push(t) }));
    messages.push(err.message);
    expect(ImageOperationError.is(err, 'destination')).toBe(true);
    expect(err.message).toContain('/manifests/b: 503');
    expect(tagged).toEqual(['a']);
    expect(await tagsOnRig(bench.direct(repo))).toEqual(['a', 'v1']);
    await expectCompleteImage(bench.direct(repo), 'a', image.manifestDigest);
  });

  it('does not retry 403 DENIED on a tag PUT (one attempt)', async () => {
    const repo = fresh('tag');
    await copyImage(bench.direct(SOURCE), 'v1', bench.direct(repo));
    const body = JSON.stringify({ errors: [{ code: 'DENIED', message: 'tag is locked' }] });
    bench.proxy.injectOnly({ method: 'PUT', path: /\/manifests\/a$/, count: Infinity, fault: { kind: 'status', status: 403, body } });
    const err = await rejection(tagImage(bench.faulty(repo), 'v1', ['a']));
    messages.push(err.message);
    expect(RegistryError.is(err.cause, 'DENIED')).toBe(true);
    expect(countSeen(bench.proxy, 'PUT', /\/manifests\/a$/)).toBe(1);
  });
});
