/**
 * Deterministic OCI image layout generator for the push benchmarks (and any test that needs an image
 * on disk). Each layer is a tar holding one file of pseudo-random, incompressible bytes: the AES-128-CTR
 * keystream of a key derived from the seed and the layer index, so the same options always give the
 * same blobs and digests, and a new seed gives blobs no registry has seen.
 *
 * CLI: `tsx bench/gen-oci-layout.ts --out DIR [--layers N] [--size 64K|25M|1G] [--compress gzip|none]
 *      [--gzip-level 0-9] [--seed S] [--tag T]` prints the summary as JSON.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGzip, type Gzip } from 'node:zlib';

export interface GenerateOptions {
  /** Directory to write the layout into (created if missing). */
  out: string;
  /** Number of layers. If undefined, 1. */
  layers?: number;
  /** Bytes of random file content per layer. If undefined, 1 MiB. */
  sizeBytes?: number;
  /** Layer compression. If undefined, 'gzip'. */
  compress?: 'gzip' | 'none';
  /** zlib level 0-9 (0 writes stored blocks: fast, and the data is incompressible anyway). If undefined, 1. */
  gzipLevel?: number;
  /** Seed for the content; a new seed gives new blobs. If undefined, 'seed'. */
  seed?: string;
  /** Value of `org.opencontainers.image.ref.name` in index.json. If undefined, 'latest'. */
  tag?: string;
  signal?: AbortSignal;
}

export interface GeneratedLayer {
  digest: string;
  size: number;
  diffId: string;
}

export interface GeneratedLayout {
  out: string;
  tag: string;
  manifestDigest: string;
  manifestSize: number;
  configDigest: string;
  layers: GeneratedLayer[];
  /** Sum of compressed layer sizes plus the config: what a first push uploads. */
  totalBytes: number;
}

const CHUNK = 1 << 20;
const ZEROS = Buffer.alloc(CHUNK);

/** Parses `64K`, `25M`, `1G`, `25MiB` or a plain byte count. */
export function parseSize(text: string): number {
  const m = /^(\d+)([KMG]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) throw new Error(`size ${JSON.stringify(text)}: expected a byte count like 65536, 64K, 25M or 1G`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

/** A ustar header for a regular file with mtime 0, so layers are reproducible. */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (s: string, off: number, len: number) => h.write(s, off, len, 'ascii');
  const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(name, 0, 100);
  put(oct(0o644, 8), 100, 8);
  put(oct(0, 8), 108, 8);
  put(oct(0, 8), 116, 8);
  put(oct(size, 12), 124, 12);
  put(oct(0, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** Streams one layer (tar of one random file) through optional gzip into blobs/sha256. */
async function writeLayer(dir: string, index: number, o: Required<Omit<GenerateOptions, 'signal'>>, signal?: AbortSignal): Promise<GeneratedLayer> {
  const tmp = join(dir, 'blobs', 'sha256', `.tmp-${process.pid}-${index}`);
  const file = createWriteStream(tmp, { highWaterMark: CHUNK });
  const compressed = createHash('sha256');
  const raw = createHash('sha256');
  let size = 0;
  const gzip: Gzip | undefined = o.compress === 'gzip' ? createGzip({ level: o.gzipLevel, chunkSize: CHUNK }) : undefined;
  const sink = gzip ?? file;
  const onOut = (c: Buffer) => { compressed.update(c); size += c.length; };
  if (gzip) {
    gzip.on('data', (c: Buffer) => {
      onOut(c);
      if (!file.write(c)) { gzip.pause(); file.once('drain', () => gzip.resume()); }
    });
  }
  const write = async (buf: Buffer) => {
    signal?.throwIfAborted();
    raw.update(buf);
    if (!gzip) onOut(buf);
    if (!sink.write(buf)) await once(sink, 'drain');
  };
  const key = createHash('sha256').update(`${o.seed}/${index}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  await write(tarHeader(`layer-${index}.bin`, o.sizeBytes));
  for (let left = o.sizeBytes; left > 0; left -= CHUNK) {
    const n = Math.min(CHUNK, left);
    await write(cipher.update(n === CHUNK ? ZEROS : ZEROS.subarray(0, n)));
  }
  await write(Buffer.alloc(((512 - (o.sizeBytes % 512)) % 512) + 1024)); // padding + end of archive
  if (gzip) { gzip.end(); await once(gzip, 'end'); }
  file.end();
  await once(file, 'finish');
  const hex = compressed.digest('hex');
  await rename(tmp, join(dir, 'blobs', 'sha256', hex));
  return { digest: `sha256:${hex}`, size, diffId: `sha256:${raw.digest('hex')}` };
}

async function writeJsonBlob(dir: string, value: unknown): Promise<{ digest: string; size: number }> {
  const buf = Buffer.from(JSON.stringify(value));
  const hex = createHash('sha256').update(buf).digest('hex');
  await writeFile(join(dir, 'blobs', 'sha256', hex), buf);
  return { digest: `sha256:${hex}`, size: buf.length };
}

/** Writes an OCI image layout (oci-layout, index.json, blobs) and returns its digests and sizes. */
export async function generateOciLayout(options: GenerateOptions): Promise<GeneratedLayout> {
  const o = { layers: 1, sizeBytes: CHUNK, compress: 'gzip' as const, gzipLevel: 1, seed: 'seed', tag: 'latest', ...options };
  if (!Number.isInteger(o.layers) || o.layers < 1) throw new Error(`layers ${o.layers}: expected a positive integer`);
  if (!Number.isInteger(o.sizeBytes) || o.sizeBytes < 0) throw new Error(`sizeBytes ${o.sizeBytes}: expected a byte count >= 0`);
  if (!Number.isInteger(o.gzipLevel) || o.gzipLevel < 0 || o.gzipLevel > 9) throw new Error(`gzipLevel ${o.gzipLevel}: expected 0-9`);
  await mkdir(join(o.out, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(o.out, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const layers: GeneratedLayer[] = [];
  for (let i = 0; i < o.layers; i++) layers.push(await writeLayer(o.out, i, o, options.signal));
  const config = await writeJsonBlob(o.out, {
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created_by: `gen-oci-layout layer ${i}` })),
  });
  const layerType = o.compress === 'gzip' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar';
  const manifest = await writeJsonBlob(o.out, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: layerType, digest: l.digest, size: l.size })),
  });
  await writeFile(join(o.out, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      ...manifest,
      annotations: { 'org.opencontainers.image.ref.name': o.tag },
    }],
  }));
  const totalBytes = layers.reduce((sum, l) => sum + l.size, config.size);
  return { out: o.out, tag: o.tag, manifestDigest: manifest.digest, manifestSize: manifest.size, configDigest: config.digest, layers, totalBytes };
}

function parseCli(argv: string[]): GenerateOptions {
  const o: Partial<GenerateOptions> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1] ?? ''];
    if (k === '--out') o.out = v;
    else if (k === '--layers') o.layers = Number(v);
    else if (k === '--size') o.sizeBytes = parseSize(v);
    else if (k === '--compress' && (v === 'gzip' || v === 'none')) o.compress = v;
    else if (k === '--gzip-level') o.gzipLevel = Number(v);
    else if (k === '--seed') o.seed = v;
    else if (k === '--tag') o.tag = v;
    else throw new Error(`argument ${k} ${v}: expected --out DIR [--layers N] [--size 64K|25M|1G] [--compress gzip|none] [--gzip-level 0-9] [--seed S] [--tag T]`);
  }
  if (!o.out) throw new Error('--out DIR is required');
  return o as GenerateOptions;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  generateOciLayout(parseCli(process.argv.slice(2))).then(
    (r) => console.log(JSON.stringify({ ...r, layers: r.layers.length })),
    (e: unknown) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; },
  );
}
