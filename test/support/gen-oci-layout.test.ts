import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { generateOciLayout } from './gen-oci-layout';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function gen(seed: string) {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-layout-'));
  dirs.push(dir);
  return generateOciLayout({ dir, layers: 3, layerSize: 1000, seed, tag: 'v1' });
}

test('same seed, same digests; another seed, other layers; every blob matches its name', async () => {
  const [a, b, c] = [await gen('one'), await gen('one'), await gen('two')];
  expect(b.manifestDigest).toBe(a.manifestDigest);
  expect(c.layerDigests.some((d) => a.layerDigests.includes(d))).toBe(false);
  const blobs = await readdir(join(a.dir, 'blobs', 'sha256'));
  expect(blobs).toHaveLength(5);
  for (const hex of blobs) {
    const data = await readFile(join(a.dir, 'blobs', 'sha256', hex));
    expect(createHash('sha256').update(data).digest('hex')).toBe(hex);
  }
  const index = JSON.parse(await readFile(join(a.dir, 'index.json'), 'utf8'));
  expect(index.manifests[0]).toMatchObject({ digest: a.manifestDigest, annotations: { 'org.opencontainers.image.ref.name': 'v1' } });
});
