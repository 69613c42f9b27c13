/** Compares what skopeo copied out of a registry with the layout it came from, byte for byte. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Every blob in `outDir` equals the same-named blob in `sourceDir`, and `outDir` names `manifestDigest`. */
export async function expectLayoutCopied(sourceDir: string, outDir: string, manifestDigest: string): Promise<void> {
  const index = JSON.parse(await readFile(join(outDir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  expect(index.manifests.map((m) => m.digest)).toContain(manifestDigest);
  const copied = await readdir(join(outDir, 'blobs', 'sha256'));
  expect(copied).toContain(manifestDigest.slice('sha256:'.length));
  for (const name of copied) {
    const [a, b] = await Promise.all([
      readFile(join(sourceDir, 'blobs', 'sha256', name)),
      readFile(join(outDir, 'blobs', 'sha256', name)),
    ]);
    expect(b.equals(a), `blob ${name}`).toBe(true);
  }
}
