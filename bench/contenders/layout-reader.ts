/**
 * Minimal OCI layout reading for the non-acrkit contenders (they must not use acrkit's own reader,
 * or the comparison would share its cost): the manifest named by index.json and the blob paths.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LayoutBlob {
  digest: string;
  size: number;
  path: string;
}

export interface LayoutImage {
  manifest: Buffer;
  mediaType: string;
  blobs: LayoutBlob[];
}

const blobPath = (dir: string, digest: string) => join(dir, 'blobs', ...digest.split(':'));

/** Reads the image manifest tagged `tag` (or the only one) from an OCI layout. */
export async function readLayoutImage(dir: string, tag?: string): Promise<LayoutImage> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as {
    manifests: Array<{ digest: string; mediaType: string; annotations?: Record<string, string> }>;
  };
  const entry = tag === undefined
    ? index.manifests[0]
    : index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!entry) throw new Error(`oci layout ${dir}: no manifest tagged ${tag}`);
  const manifest = await readFile(blobPath(dir, entry.digest));
  const parsed = JSON.parse(manifest.toString()) as { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number }> };
  const blobs = [parsed.config, ...parsed.layers].map((d) => ({ digest: d.digest, size: d.size, path: blobPath(dir, d.digest) }));
  return { manifest, mediaType: entry.mediaType, blobs };
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `--name value` pairs into a record; throws naming a missing required argument. */
export function parseArgs(argv: string[], required: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) out[(argv[i] ?? '').replace(/^--/, '')] = argv[i + 1] ?? '';
  for (const r of required) if (!out[r]) throw new Error(`--${r} is required`);
  return out;
}
