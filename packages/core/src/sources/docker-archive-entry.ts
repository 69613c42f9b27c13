/**
 * The pieces of a `docker save` archive: its `manifest.json` entries and the per-layer digest pass
 * that turns a stored layer into a verified schema 2 layer descriptor.
 */
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createDigester } from '../oci/digest';
import { MediaType } from '../oci/media-types';
import type { Descriptor } from '../oci/types';
import { ArchiveError } from './archive-error';
import type { SourceOptions } from './image-source';
import type { LayoutFiles } from './layout-files';

/**
 * Schema 2's media type for an uncompressed layer (`MediaTypeUncompressedLayer` in distribution's
 * schema2 package); `oci/media-types` only names the gzip'd one.
 */
export const DOCKER_LAYER_UNCOMPRESSED = 'application/vnd.docker.image.rootfs.diff.tar';

/** One element of `manifest.json`. */
export interface DockerSaveEntry {
  /** Archive path of the image config (`<hex>.json`, or `blobs/sha256/<hex>` since Docker 25). */
  config: string;
  /** `name:tag` references the image was saved under; empty for an image saved by ID. */
  repoTags: string[];
  /** Archive paths of the layer tars, base layer first. */
  layers: string[];
}

/** Parses and checks `manifest.json`; every problem names the archive. */
export function parseDockerManifest(bytes: Uint8Array, label: string): DockerSaveEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ArchiveError('invalid-archive', `${label}: manifest.json is not valid JSON`, { cause: err });
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ArchiveError('invalid-archive', `${label}: manifest.json lists no images`);
  return parsed.map((item: unknown, i) => toEntry(item, `${label}: manifest.json[${i}]`));
}

function toEntry(item: unknown, where: string): DockerSaveEntry {
  const e = (item ?? {}) as { Config?: unknown; RepoTags?: unknown; Layers?: unknown };
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (typeof e.Config !== 'string') throw new ArchiveError('invalid-archive', `${where}: Config must be a path`);
  if (!strings(e.Layers)) throw new ArchiveError('invalid-archive', `${where}: Layers must be a list of paths`);
  if (e.RepoTags != null && !strings(e.RepoTags)) throw new ArchiveError('invalid-archive', `${where}: RepoTags must be a list of references`);
  return { config: e.Config, repoTags: (e.RepoTags as string[] | null) ?? [], layers: e.Layers as string[] };
}

/** The digest a path claims by its name (`blobs/sha256/<hex>`, `<hex>.json`), if it claims one. */
export function digestFromPath(path: string): string | undefined {
  const m = /(?:^|\/)blobs\/sha256\/([a-f0-9]{64})$/.exec(path) ?? /^([a-f0-9]{64})\.json$/.exec(path);
  return m ? `sha256:${m[1]}` : undefined;
}

/**
 * Hashes the layer at `path` and checks it against its `diffId` (the digest of the uncompressed
 * tar) and against the digest its name claims. A gzip'd layer takes a second pass to gunzip it.
 */
export async function digestLayer(files: LayoutFiles, path: string, diffId: string, label: string, options: SourceOptions): Promise<Descriptor> {
  const raw = createDigester();
  let head: number[] = [];
  for await (const chunk of files.stream(path, options)) {
    if (head.length < 2) head = [...head, ...chunk.subarray(0, 2 - head.length)];
    raw.update(chunk);
  }
  const size = raw.size;
  const digest = raw.digest();
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const uncompressed = gzip ? await gunzipDigest(files, path, label, options) : digest;
  const named = digestFromPath(path);
  if ((named && named !== digest) || uncompressed !== diffId) {
    throw new ArchiveError('digest-mismatch', `${label}: layer ${path} hashes to ${uncompressed}, the config expects ${diffId}`);
  }
  const mediaType = gzip ? MediaType.DockerLayer : DOCKER_LAYER_UNCOMPRESSED;
  return { mediaType, digest, size };
}

async function gunzipDigest(files: LayoutFiles, path: string, label: string, options: SourceOptions): Promise<string> {
  const hash = createDigester();
  try {
    await pipeline(files.stream(path, options), createGunzip(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) hash.update(chunk);
    });
  } catch (err) {
    throw new ArchiveError('invalid-archive', `${label}: layer ${path} is not valid gzip`, { cause: err });
  }
  return hash.digest();
}
