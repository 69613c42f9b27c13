/**
 * Push under faults, through the fault proxy in front of the rig: every push either completes with
 * every tag naming a complete image, or fails with a clear error and leaves no new tag (checked
 * directly on the rig, bypassing the proxy). Retries are bounded and skip what cannot succeed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryError } from '../../packages/core/src/http/registry-error';
import { NetworkError } from '../../packages/core/src/http/network-error';
import { DigestMismatchError } from '../../packages/core/src/oci/digest';
import { ImageOperationError } from '../../packages/core/src/registry/image-operation-error';
import { pushImage } from '../../packages/core/src/registry/push-image';
import { openOciLayout } from '../../packages/core/src/sources/oci-layout-source';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import { abortAfter } from './abort-after';
import type { FaultRule } from './fault-proxy';
import { countSeen, expectCompleteImage, rejection, startFaultBench, tagsOnRig, type FaultBench } from './fault-bench';

let bench: FaultBench;
const messages: string[] = [];
let counter = 0;

beforeAll(async () => {
  bench = await startFaultBench();
}, 120_000);

afterAll(async () => {
  await bench?.stop(messages);
});

/** A fresh image (new blobs) and a fresh repository for each scenario. */
async function freshImage(layers = 2, layerSize = 48 * 1024): Promise<{ layout: OciLayoutResult; repo: string }> {
  counter += 1;
  const dir = join(bench.work, `img-${counter}`);
  const layout = await generateOciLayout({ dir, layers, layerSize, seed: `push-faults-${counter}-${Date.now()}`, tag: 'v1' });
  return { layout, repo: `faults/push-${counter}` };
}

/** Pushes through the proxy with `rules` injected. */
async function pushWith(rules: FaultRule[], tags = ['v1', 'latest'], extra: { monolithicLimit?: number; signal?: AbortSignal } = {}) {
  const { layout, repo } = await freshImage();
  bench.proxy.injectOnly(...rules);
  const source = await openOciLayout(layout.dir);
  const run = pushImage(source, bench.faulty(repo), { tags, ...extra }).finally(() => source.close());
  return { layout, repo, run };
}

describe('push survives transient faults with a complete image under every tag', () => {
  it.each<[string, FaultRule[]]>([
    ['a connection reset while sending a blob', [{ method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'reset-request', afterBytes: 1000 } }]],
    ['a reset after the manifest PUT took effect (answer lost)', [{ method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'reset-response' } }]],
    ['503 twice on the upload session POST', [{ method: 'POST', path: /\/blobs\/uploads\/$/, count: 2, fault: { kind: 'status', status: 503 } }]],
    ['500 and 502 on blob HEADs', [{ method: 'HEAD', path: /\/blobs\//, count: 2, fault: { kind: 'status', status: 500 } },
      { method: 'HEAD', path: /\/blobs\//, nth: 3, fault: { kind: 'status', status: 502 } }]],
    ['a lost 201 on a blob PUT (the blob is in, the client retries)', [{ method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 502, forward: true } }]],
    ['a registry process frozen for 1.5 s', [{ method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'freeze-registry', ms: 1500 } }]],
    ['a stall of 800 ms on the manifest PUT', [{ method: 'PUT', path: /\/manifests\//, fault: { kind: 'stall', ms: 800 } }]],
  ])('%s', async (_name, rules) => {
    const { layout, repo, run } = await pushWith(rules);
    const result = await run;
    expect(result.digest).toBe(layout.manifestDigest);
    expect(bench.proxy.records.some((r) => r.fault !== undefined), 'the fault was injected').toBe(true);
    expect(await tagsOnRig(bench.direct(repo))).toEqual(['latest', 'v1']);
    for (const tag of ['v1', 'latest']) await expectCompleteImage(bench.direct(repo), tag, layout.manifestDigest);
  });

  it.each<[string, FaultRule, number]>([
    ['a streamed PATCH', { method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'reset-request', afterBytes: 20_000, forward: true } }, 1024],
    ['a monolithic PUT', { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'reset-request', afterBytes: 20_000, forward: true } }, 32 << 20],
  ])('%s cut mid-body after the registry saw part of it: the upload restarts in a new session, blobs intact', async (_n, rule, monolithicLimit) => {
    const { layout, repo, run } = await pushWith([rule], ['v1'], { monolithicLimit });
    await run;
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-request')).toHaveLength(1);
    await expectCompleteImage(bench.direct(repo), 'v1', layout.manifestDigest);
  });

  it('an expired token is refreshed once and the request replayed', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'expire-token' } }];
    const { layout, repo, run } = await pushWith(rules, ['v1']);
    await run;
    const records = bench.proxy.records;
    const expired = records.findIndex((r) => r.fault === 'expire-token');
    expect(expired).toBeGreaterThanOrEqual(0);
    const after = records.slice(expired + 1);
    expect(after.filter((r) => r.path.startsWith('/oauth2/token')).length).toBe(1);
    expect(after.filter((r) => r.method === 'PUT' && /\/manifests\/v1$/.test(r.path)).map((r) => r.status)).toEqual([201]);
    await expectCompleteImage(bench.direct(repo), 'v1', layout.manifestDigest);
  });
});

describe('push fails clearly, with no new tag, when the fault does not go away', () => {
  it('503 on every manifest PUT: 5 attempts, then a RegistryError 503, no tag', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/manifests\//, count: Infinity, fault: { kind: 'status', status: 503 } }];
    const { repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    expect(ImageOperationError.is(err, 'destination')).toBe(true);
    expect((err.cause as RegistryError).status).toBe(503);
    expect(err.message).toMatch(/^pushing .*: destination: PUT https:\/\/127\.0\.0\.1:\d+\/v2\/faults\/push-\d+\/manifests\/v1: 503/);
    expect(countSeen(bench.proxy, 'PUT', /\/manifests\//)).toBe(5);
    expect(await tagsOnRig(bench.direct(repo))).toEqual([]);
  });

  it.each<[string, number, string]>([
    ['400 MANIFEST_INVALID', 400, 'MANIFEST_INVALID'],
    ['403 DENIED', 403, 'DENIED'],
    ['404 NAME_UNKNOWN', 404, 'NAME_UNKNOWN'],
  ])('%s on the manifest PUT is not retried', async (_name, status, code) => {
    const body = JSON.stringify({ errors: [{ code, message: 'injected' }] });
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/manifests\//, count: Infinity, fault: { kind: 'status', status, body } }];
    const { repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    expect(RegistryError.is(err.cause, code)).toBe(true);
    expect(countSeen(bench.proxy, 'PUT', /\/manifests\//)).toBe(1);
    expect(await tagsOnRig(bench.direct(repo))).toEqual([]);
  });

  it('a wrong Docker-Content-Digest on a blob PUT fails the push with a DigestMismatchError, no tag', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'wrong-digest' } }];
    const { repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    expect(err.cause).toBeInstanceOf(DigestMismatchError);
    expect(await tagsOnRig(bench.direct(repo))).toEqual([]);
  });

  it('a wrong Docker-Content-Digest on the manifest PUT fails with a DigestMismatchError (the first tag may exist, and is complete)', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'wrong-digest' } }];
    const { layout, repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    expect(err.cause).toBeInstanceOf(DigestMismatchError);
    // The PUT took effect before its answer was mangled: whatever tag exists names the complete image.
    expect(await tagsOnRig(bench.direct(repo))).toEqual(['v1']);
    await expectCompleteImage(bench.direct(repo), 'v1', layout.manifestDigest);
  });

  it('503 on every PUT of the second tag: the push fails naming it; the first tag stays and is complete', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/manifests\/latest$/, count: Infinity, fault: { kind: 'status', status: 503 } }];
    const { layout, repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    expect(err.message).toContain('/manifests/latest: 503');
    expect(await tagsOnRig(bench.direct(repo))).toEqual(['v1']);
    await expectCompleteImage(bench.direct(repo), 'v1', layout.manifestDigest);
  });

  it('429 on every request is bounded by the attempt count even with Retry-After', async () => {
    const rules: FaultRule[] = [{ method: 'HEAD', path: /\/manifests\//, count: Infinity, fault: { kind: 'status', status: 429, retryAfter: '0' } }];
    const { repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    expect((err.cause as RegistryError).status).toBe(429);
    expect(countSeen(bench.proxy, 'HEAD', /\/manifests\//)).toBe(5);
    expect(await tagsOnRig(bench.direct(repo))).toEqual([]);
  });

  it('connections refused longer than the retries wait (registry down): a NetworkError, no tag', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'refuse', ms: 1000 } }];
    const { repo, run } = await pushWith(rules);
    const err = await rejection(run);
    messages.push(err.message);
    // The cut attempt is retried; the retry finds nobody listening, which is not retried (see retry-policy.ts).
    expect(NetworkError.is(err.cause, 'CONNECTION_REFUSED')).toBe(true);
    expect(await tagsOnRig(bench.direct(repo))).toEqual([]);
    await new Promise((r) => setTimeout(r, 1100));
  });
});

describe('Retry-After and cancellation', () => {
  it('honours Retry-After: 1 on the upload POST (waits at least a second, then succeeds)', async () => {
    const rules: FaultRule[] = [{ method: 'POST', path: /\/blobs\/uploads\/$/, fault: { kind: 'status', status: 429, retryAfter: '1' } }];
    const started = Date.now();
    const { repo, run } = await pushWith(rules, ['v1']);
    await run;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(bench.proxy.records.filter((r) => r.fault === 'status').map((r) => r.status)).toEqual([429]);
    await expectCompleteImage(bench.direct(repo), 'v1');
  });

  it('a registry restart shorter than the backoff (default retry waits): the push completes', async () => {
    const { layout, repo } = await freshImage();
    bench.proxy.injectOnly({ method: 'PUT', path: /\/manifests\/v1$/, fault: { kind: 'refuse', ms: 100 } });
    const source = await openOciLayout(layout.dir);
    await pushImage(source, bench.faulty(repo, {}), { tags: ['v1'] }).finally(() => source.close());
    expect(bench.proxy.records.filter((r) => r.fault === 'refuse')).toHaveLength(1);
    await expectCompleteImage(bench.direct(repo), 'v1', layout.manifestDigest);
  });

  it('an abort ends a push stalled on a blob upload within 2 s, and no tag appears', async () => {
    const rules: FaultRule[] = [{ method: 'PUT', path: /\/blobs\/uploads\//, count: Infinity, fault: { kind: 'stall' } }];
    let repo = '';
    const ended = await abortAfter(400, async (signal) => {
      const started = await pushWith(rules, ['v1'], { signal });
      repo = started.repo;
      return started.run;
    });
    expect(ended.resolved).toBe(false);
    expect(ended.msAfterAbort).toBeLessThan(2000);
    expect(await tagsOnRig(bench.direct(repo))).toEqual([]);
  });
});
