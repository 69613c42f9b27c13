/**
 * Writes a small, deterministic OCI image layout (oci-layout, index.json, blobs/sha256/*) for tests:
 * `layers` gzip'd tar layers of pseudo-random bytes (AES-CTR keystream from `seed`), an OCI config and
 * an OCI manifest referenced from index.json under `tag`. Same options, same bytes, same digests; use a
 * different seed for blobs that must not exist in a registry yet.
 * Reference: OCI image-spec v1.1 image-layout.md.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Options of `generateOciLayout`. */
export interface OciLayoutOptions {
  /** Directory to write (created). */
  dir: string;
  /** Number of layers; undefined means 1. */
  layers?: number;
  /** Bytes of file content per layer; undefined means 4096. Keep it small: layers are built in memory. */
  layerSize?: number;
  /** Seed of the content; undefined means 'seed'. */
  seed?: string;
  /** `org.opencontainers.image.ref.name` in index.json; undefined means 'latest'. */
  tag?: string;
}

/** What was written. */
export interface OciLayoutResult {
  dir: string;
  tag: string;
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
}

function tarOneFile(name: string, content: Buffer): Buffer {
  const h = Buffer.alloc(512, 0);
  const oct = (n: number, len: number): string => n.toString(8).padStart(len - 1, '0') + '\0';
  h.write(name, 0, 100, 'ascii');
  h.write(oct(0o644, 8), 100, 'ascii');
  h.write(oct(0, 8), 108, 'ascii');
  h.write(oct(0, 8), 116, 'ascii');
  h.write(oct(content.length, 12), 124, 'ascii');
  h.write(oct(0, 12), 136, 'ascii'); // mtime 0: reproducible
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  const pad = (512 - (content.length % 512)) % 512;
  return Buffer.concat([h, content, Buffer.alloc(pad + 1024)]);
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function writeBlob(dir: string, data: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
  return { digest, size: data.length };
}

/** Writes the layout and returns its digests. */
export async function generateOciLayout(options: OciLayoutOptions): Promise<OciLayoutResult> {
  const { dir, layers = 1, layerSize = 4096, seed = 'seed', tag = 'latest' } = options;
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const layerDescs: Array<{ digest: string; size: number; diffId: string }> = [];
  for (let i = 0; i < layers; i++) {
    const key = createHash('sha256').update(`${seed}/${i}`).digest().subarray(0, 16);
    const content = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(layerSize));
    const tar = tarOneFile(`layer-${i}.bin`, content);
    // gzip's header carries no name or time from gzipSync, so the bytes are deterministic.
    const blob = await writeBlob(dir, gzipSync(tar, { level: 1 }));
    layerDescs.push({ ...blob, diffId: sha256(tar) });
  }
  const config = {
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: layerDescs.map((l) => l.diffId) },
    history: layerDescs.map((_, i) => ({ created_by: `gen-oci-layout layer ${i}` })),
  };
  const cfg = await writeBlob(dir, Buffer.from(JSON.stringify(config)));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
    layers: layerDescs.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
  };
  const man = await writeBlob(dir, Buffer.from(JSON.stringify(manifest)));
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: manifest.mediaType, ...man, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  };
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
  return { dir, tag, manifestDigest: man.digest, configDigest: cfg.digest, layerDigests: layerDescs.map((l) => l.digest) };
}
