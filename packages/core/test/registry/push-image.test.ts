/**
 * The push engine's rules, fast, against an in-memory target: children before the index, tags
 * last, bounded parallelism, nothing tagged after a failure. The same rules are exercised against
 * the real registry in push-image.rig.test.ts and copy-image.rig.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOciLayout } from '../../../../test/support/gen-oci-layout';
import { ImageOperationError } from '../../src/registry/image-operation-error';
import { pushImage } from '../../src/registry/push-image';
import { openOciLayout } from '../../src/sources/oci-layout-source';
import { MemoryTarget } from './support/memory-target';
import { generateIndexLayout, type IndexLayout } from './support/index-layout';

let work: string;
let multi: IndexLayout;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-push-unit-'));
  multi = await generateIndexLayout(join(work, 'multi'), 'unit-multi');
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('pushImage (in memory)', () => {
  it('puts every blob, then the children by digest, then the index under each tag', async () => {
    const target = new MemoryTarget();
    const source = await openOciLayout(multi.dir);
    const result = await pushImage(source, target, { tags: ['a', 'b'] });
    expect(result).toMatchObject({ digest: multi.indexDigest, mediaType: 'application/vnd.oci.image.index.v1+json', tags: ['a', 'b'] });
    const firstManifest = target.log.findIndex((l) => l.startsWith('manifest'));
    expect(target.log.slice(0, firstManifest).every((l) => l.startsWith('blob'))).toBe(true);
    const manifests = target.log.slice(firstManifest);
    expect(manifests.slice(2)).toEqual(['manifest a', 'manifest b']);
    expect(manifests.slice(0, 2).sort()).toEqual(multi.childDigests.map((d) => `manifest ${d}`).sort());
    expect(target.blobs.size).toBe(6);
  });

  it('keeps at most `concurrency` uploads in flight', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'wide'), layers: 12, layerSize: 64, seed: 'unit-wide' });
    const target = new MemoryTarget();
    await pushImage(await openOciLayout(layout.dir), target, { concurrency: 3 });
    expect(target.peak).toBe(3);
    expect(target.manifests.has(layout.manifestDigest)).toBe(true); // untagged: pushed by digest
  });

  it('tags nothing when a blob fails, and says the destination failed', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'fail'), layers: 4, layerSize: 64, seed: 'unit-fail' });
    const target = new MemoryTarget();
    target.failing.add(layout.layerDigests[2]!);
    const err = await pushImage(await openOciLayout(layout.dir), target, { tags: ['v1'] }).catch((e: unknown) => e);
    expect(ImageOperationError.is(err, 'destination')).toBe(true);
    expect((err as Error).message).toContain(`to memory.test/mem/app:v1 (blob ${layout.layerDigests[2]})`);
    expect([...target.manifests.keys()]).toEqual([]);
  });

  it('refuses a bad tag before reading anything', async () => {
    const target = new MemoryTarget();
    await expect(pushImage(await openOciLayout(multi.dir), target, { tags: ['-bad'] })).rejects.toThrow(/invalid tag "-bad"/);
    expect(target.log).toEqual([]);
  });
});
