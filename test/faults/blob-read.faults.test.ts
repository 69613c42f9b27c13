/**
 * Blob GETs cut mid-body are resumed with `Range` (registry/resumable-blob.ts), proved by copies
 * between registries (the source reached through the fault proxy, the destination directly, so every
 * blob streams through the client). Two rigs: one where Distribution serves blobs itself (it honours
 * Range), and one that redirects blob GETs to the rig's blob-storage stand-in as ACR does, with a
 * second fault proxy in front of that storage. Outcomes are checked on the rig: every blob of the
 * copied tag downloads and matches its digest and size, and a failed copy adds no tag.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../../packages/core/src/http/network-error';
import { copyImage } from '../../packages/core/src/registry/copy-image';
import { ImageOperationError } from '../../packages/core/src/registry/image-operation-error';
import { pushImage } from '../../packages/core/src/registry/push-image';
import { openOciLayout } from '../../packages/core/src/sources/oci-layout-source';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import { expectNoSecrets } from '../support/secret-scan';
import { startFaultProxy, type Answer, type FaultProxy, type FaultRule } from './fault-proxy';
import { countSeen, expectCompleteImage, rejection, startFaultBench, tagsOnRig, type FaultBench } from './fault-bench';

const SOURCE = 'faults/blobsource';
const LAYER_SIZE = 1024 * 1024;
/** Each cut comes after this many body bytes: four cuts fit in one layer (so four reads in a row can all be cut). */
const CUT_AT = 100_001;
let counter = 0;
const fresh = () => `faults/blobcopy-${++counter}`;

/** A bench with the source image pushed directly. */
async function benchWithImage(blobRedirects: boolean): Promise<{ bench: FaultBench; image: OciLayoutResult }> {
  const bench = await startFaultBench({ blobRedirects });
  const image = await generateOciLayout({ dir: join(bench.work, 'src'), layers: 3, layerSize: LAYER_SIZE, seed: `blob-read-${blobRedirects}-${Date.now()}`, tag: 'v1' });
  const source = await openOciLayout(image.dir);
  await pushImage(source, bench.direct(SOURCE), { tags: ['v1'] }).finally(() => source.close());
  return { bench, image };
}

const blobPath = (digest: string) => new RegExp(`/v2/faults/blobsource/blobs/${digest}$`);
/** Cuts `count` GETs of `path` after CUT_AT body bytes; registry GETs only once authorized (a 401 body is shorter than CUT_AT). */
const cut = (path: RegExp, count: number, authorizedOnly = true): FaultRule =>
  ({ method: 'GET', path, count, authorizedOnly, fault: { kind: 'reset-response', afterBytes: CUT_AT } });

describe('blob GETs served by the registry (Distribution honours Range)', () => {
  let bench: FaultBench;
  let image: OciLayoutResult;
  const messages: string[] = [];

  beforeAll(async () => {
    ({ bench, image } = await benchWithImage(false));
  }, 180_000);
  afterAll(async () => {
    if (bench) expectNoSecrets([...messages, ...bench.lines], bench.rig.secrets());
    await bench?.stop();
  });

  it.each<[string, (layers: string[]) => FaultRule[], (layers: string[]) => Record<string, number>]>([
    ['cut once mid-body', (l) => [cut(blobPath(l[0]!), 1)], (l) => ({ [l[0]!]: 2 })],
    ['cut twice on one layer (the resumed GET cut too) and once on another', (l) => [cut(blobPath(l[0]!), 2), cut(blobPath(l[2]!), 1)], (l) => ({ [l[0]!]: 3, [l[2]!]: 2 })],
    ['cut three times (the most resumes allowed)', (l) => [cut(blobPath(l[1]!), 3)], (l) => ({ [l[1]!]: 4 })],
  ])('a copy whose source blob GET is %s completes with every blob intact', async (_name, rules, gets) => {
    const target = fresh();
    bench.proxy.injectOnly(...rules(image.layerDigests));
    const result = await copyImage(bench.faulty(SOURCE), 'v1', bench.direct(target), { tags: ['v1'] });
    expect(result.digest).toBe(image.manifestDigest);
    for (const [digest, count] of Object.entries(gets(image.layerDigests))) {
      // Every cut GET (no status) is followed by a ranged one (206), never by the whole blob again (200).
      const statuses = bench.proxy.records.filter((r) => r.method === 'GET' && blobPath(digest).test(r.path)).map((r) => r.status);
      expect(statuses, `GETs of ${digest}: the first and one per resume`).toEqual([...Array<number>(count - 1).fill(0), 206]);
    }
    expect(bench.proxy.records.filter((r) => r.fault === 'reset-response').length).toBe(rules(image.layerDigests).reduce((k, r) => k + (r.count ?? 1), 0));
    await expectCompleteImage(bench.direct(target), 'v1', image.manifestDigest);
  }, 60_000);

  it('a blob GET cut on every read fails on the source side with a NetworkError naming the blob, adding no tag', async () => {
    const target = fresh();
    const layer = image.layerDigests[0]!;
    bench.proxy.injectOnly(cut(blobPath(layer), Infinity));
    const started = Date.now();
    const err = await rejection(copyImage(bench.faulty(SOURCE), 'v1', bench.direct(target), { tags: ['v1'] }));
    messages.push(err.message);
    expect(ImageOperationError.is(err, 'source'), err.message).toBe(true);
    expect(NetworkError.is(err.cause, 'CONNECTION_RESET'), String(err.cause)).toBe(true);
    expect((err.cause as Error).message).toMatch(
      new RegExp(`^GET https://127\\.0\\.0\\.1:\\d+/v2/faults/blobsource/blobs/${layer}: connection closed while reading blob 127\\.0\\.0\\.1:\\d+/faults/blobsource@${layer} \\(${4 * CUT_AT} bytes in, after 3 resumed GETs\\)$`),
    );
    const gets = countSeen(bench.proxy, 'GET', blobPath(layer));
    // One read is 1 GET + 3 resumes; the destination's upload retries open the source again (11 GETs when
    // measured), so the total is bounded by those retries, not by one read.
    expect(gets, `GETs of the cut blob: ${gets}`).toBeGreaterThanOrEqual(4);
    expect(gets).toBeLessThanOrEqual(40);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  }, 60_000);
});

describe('blob GETs redirected to storage (ACR: 307 to a SAS URL)', () => {
  let bench: FaultBench;
  let image: OciLayoutResult;
  let storage: FaultProxy | undefined;
  let storageOrigin: string;
  const messages: string[] = [];

  beforeAll(async () => {
    ({ bench, image } = await benchWithImage(true));
    // Where the rig's 307s point (its blob-storage stand-in): a second fault proxy goes in front of it.
    const url = `https://${bench.rig.loginServer}/v2/${SOURCE}/blobs/${image.configDigest}`;
    const answer = await bench.transport()({ method: 'GET', url, scopes: [`repository:${SOURCE}:pull`], noRedirect: true });
    await answer.body?.cancel();
    expect(answer.status).toBe(307);
    storageOrigin = new URL(answer.headers.get('location')!).origin;
    storage = await startFaultProxy({ upstream: storageOrigin, service: 'storage' });
  }, 180_000);
  afterAll(async () => {
    if (bench) expectNoSecrets([...messages, ...bench.lines], bench.rig.secrets());
    await storage?.close();
    await bench?.stop();
  });

  /** Points the registry's 307 at the fault proxy in front of the blob-storage stand-in. */
  function viaStorageProxy(answer: Answer): Answer {
    const location = answer.headers.location;
    if (answer.status !== 307 || typeof location !== 'string') return answer;
    return { ...answer, headers: { ...answer.headers, location: location.replace(storageOrigin, storage!.url) } };
  }

  const storagePath = (digest: string) => new RegExp(`/blobs/sha256/[0-9a-f]{2}/${digest.slice('sha256:'.length)}/data\\?`);

  async function inject(...storageRules: FaultRule[]): Promise<FaultProxy> {
    bench.proxy.injectOnly({ method: 'GET', path: /\/v2\/faults\/blobsource\/blobs\//, count: Infinity, fault: { kind: 'rewrite', rewrite: viaStorageProxy } });
    const proxy = storage!;
    proxy.injectOnly(...storageRules);
    return proxy;
  }

  it('a storage GET cut once and one cut twice are resumed (each resume asks the registry for a fresh redirect), blobs intact', async () => {
    const [l0, l1] = image.layerDigests as [string, string];
    const proxy = await inject(cut(storagePath(l0), 1, false), cut(storagePath(l1), 2, false));
    const target = fresh();
    const result = await copyImage(bench.faulty(SOURCE), 'v1', bench.direct(target), { tags: ['v1'] });
    expect(result.digest).toBe(image.manifestDigest);
    const statuses = (digest: string) => proxy.records.filter((r) => storagePath(digest).test(r.path)).map((r) => r.status);
    expect(statuses(l0)).toEqual([0, 206]);
    expect(statuses(l1)).toEqual([0, 0, 206]);
    expect(countSeen(bench.proxy, 'GET', blobPath(l1)), 'a redirect per GET').toBe(3);
    expect(proxy.records.every((r) => !r.bearer), 'no registry token reaches storage').toBe(true);
    await expectCompleteImage(bench.direct(target), 'v1', image.manifestDigest);
  }, 60_000);

  it('a storage GET cut on every read fails with a NetworkError naming the blob, never the SAS URL, adding no tag', async () => {
    const layer = image.layerDigests[2]!;
    await inject(cut(storagePath(layer), Infinity, false));
    const target = fresh();
    const err = await rejection(copyImage(bench.faulty(SOURCE), 'v1', bench.direct(target), { tags: ['v1'] }));
    messages.push(err.message, String(err.stack));
    expect(ImageOperationError.is(err, 'source'), err.message).toBe(true);
    expect(NetworkError.is(err.cause, 'CONNECTION_RESET')).toBe(true);
    expect((err.cause as Error).message).toMatch(new RegExp(`/v2/faults/blobsource/blobs/${layer}: connection closed while reading blob .*after 3 resumed GETs`));
    expect(err.message).not.toMatch(/sig=|se=/);
    expect(await tagsOnRig(bench.direct(target))).toEqual([]);
  }, 60_000);
});
