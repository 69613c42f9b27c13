/**
 * Builds a two-platform OCI layout (an image index over two generated images) for index push/copy
 * tests, on top of the project's deterministic generator.
 */
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateOciLayout } from '../../../../../test/support/gen-oci-layout';

export interface IndexLayout {
  dir: string;
  tag: string;
  indexDigest: string;
  childDigests: string[];
}

/** Writes an index layout in `dir` whose children are linux/amd64 and linux/arm64 images. */
export async function generateIndexLayout(dir: string, seed: string, tag = 'multi'): Promise<IndexLayout> {
  const amd = await generateOciLayout({ dir, layers: 2, seed: `${seed}-amd64`, tag: 'amd64' });
  const arm = await generateOciLayout({ dir: `${dir}-arm64`, layers: 2, seed: `${seed}-arm64`, tag: 'arm64' });
  for (const name of await readdir(join(arm.dir, 'blobs', 'sha256'))) {
    await copyFile(join(arm.dir, 'blobs', 'sha256', name), join(dir, 'blobs', 'sha256', name));
  }
  const child = async (digest: string, architecture: string) => ({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest,
    size: (await readFile(join(dir, 'blobs', 'sha256', digest.slice(7)))).length,
    platform: { architecture, os: 'linux' },
  });
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [await child(amd.manifestDigest, 'amd64'), await child(arm.manifestDigest, 'arm64')],
  }));
  const hex = createHash('sha256').update(index).digest('hex');
  await writeFile(join(dir, 'blobs', 'sha256', hex), index);
  await writeFile(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{
      mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${hex}`, size: index.length,
      annotations: { 'org.opencontainers.image.ref.name': tag },
    }],
  }));
  return { dir, tag, indexDigest: `sha256:${hex}`, childDigests: [amd.manifestDigest, arm.manifestDigest] };
}
