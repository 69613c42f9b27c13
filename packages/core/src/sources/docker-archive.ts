/**
 * Reads a `docker save` archive (`manifest.json` with `Config`, `RepoTags`, `Layers`) and presents
 * each image as a Docker v2 schema 2 manifest, so it can be pushed without a Docker daemon.
 *
 * Layers are pushed exactly as stored, not recompressed: `docker save` writes uncompressed tars,
 * which become `application/vnd.docker.image.rootfs.diff.tar` (Distribution, ACR, containerd and
 * Docker accept it); a layer that already is gzip keeps `...tar.gzip`. Recompressing would cost a full
 * gzip pass per layer before the first byte could be sent (the digest must be known up front), and
 * would make the pushed digests depend on the zlib version. Every layer is hashed once when an image
 * is resolved, and its uncompressed digest must match the config's `rootfs.diff_ids`.
 *
 * Reference: https://github.com/moby/moby/blob/v25.0.0/image/tarexport/save.go,
 * https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/manifest-v2-2.md
 */
import { MediaType } from '../oci/media-types';
import type { Descriptor } from '../oci/types';
import { ArchiveError } from './archive-error';
import { openArchiveFile } from './archive-file';
import type { ImageSource, SourceOptions } from './image-source';
import type { LayoutFiles } from './layout-files';
import { digestLayer, type DockerSaveEntry, parseDockerManifest, digestFromPath } from './docker-archive-entry';
import { MAX_MANIFEST_SIZE, selectByTag } from './select-tag';
import { computeDigest } from '../oci/digest';

/** Opens the `docker save` archive `file` (tar or tar.gz). Close it to remove any temporary copy. */
export async function openDockerArchive(file: string, options: SourceOptions = {}): Promise<ImageSource> {
  const archive = await openArchiveFile(file, options);
  try {
    const entries = parseDockerManifest(await archive.files.read('manifest.json', MAX_MANIFEST_SIZE, options), file);
    return new DockerArchiveSource(archive.files, `docker archive ${file}`, entries, archive.release);
  } catch (err) {
    await archive.release();
    throw err;
  }
}

/** One image converted to schema 2: the manifest bytes and where each blob lives in the archive. */
interface Converted {
  descriptor: Descriptor;
  manifest: Uint8Array;
}

class DockerArchiveSource implements ImageSource {
  /** Archive path of every blob (config, layers, synthesized manifests excluded) by digest. */
  private readonly paths = new Map<string, string>();
  private readonly manifests = new Map<string, Uint8Array>();
  private readonly converted = new Map<DockerSaveEntry, Promise<Converted>>();

  constructor(
    private readonly files: LayoutFiles,
    readonly description: string,
    private readonly entries: DockerSaveEntry[],
    private release: () => Promise<void>,
  ) {}

  async resolve(tag?: string, options: SourceOptions = {}): Promise<Descriptor> {
    const entry = tag === undefined && this.entries.length === 1
      ? this.entries[0]!
      : selectByTag(this.entries.flatMap((e) => (e.repoTags.length ? e.repoTags : [undefined]).map((name) => ({ name, value: e }))), tag, this.description);
    let converted = this.converted.get(entry);
    if (!converted) {
      converted = this.convert(entry, options);
      this.converted.set(entry, converted);
      converted.catch(() => this.converted.delete(entry));
    }
    return (await converted).descriptor;
  }

  async tags(): Promise<string[]> {
    return this.entries.flatMap((e) => e.repoTags);
  }

  async fetchManifest(descriptor: Descriptor, options: SourceOptions = {}): Promise<Uint8Array> {
    const manifest = this.manifests.get(descriptor.digest);
    if (manifest) return manifest;
    const bytes = await this.files.read(this.pathOf(descriptor), MAX_MANIFEST_SIZE, options);
    if (computeDigest(bytes) !== descriptor.digest) {
      throw new ArchiveError('digest-mismatch', `${this.description}: ${this.pathOf(descriptor)} does not hash to ${descriptor.digest}`);
    }
    return bytes;
  }

  openBlob(descriptor: Descriptor, options: SourceOptions = {}): AsyncIterable<Uint8Array> {
    return this.files.stream(this.pathOf(descriptor), options);
  }

  async blobSize(descriptor: Descriptor): Promise<number> {
    return this.files.size(this.pathOf(descriptor));
  }

  async close(): Promise<void> {
    const release = this.release;
    this.release = async () => {};
    await release();
  }

  private pathOf(descriptor: Descriptor): string {
    const path = this.paths.get(descriptor.digest);
    if (!path) throw new ArchiveError('not-found', `${this.description}: no blob ${descriptor.digest} (resolve the image first)`);
    return path;
  }

  private async convert(entry: DockerSaveEntry, options: SourceOptions): Promise<Converted> {
    const configBytes = await this.files.read(entry.config, MAX_MANIFEST_SIZE, options);
    const configDigest = computeDigest(configBytes);
    const named = digestFromPath(entry.config);
    if (named && named !== configDigest) {
      throw new ArchiveError('digest-mismatch', `${this.description}: ${entry.config} hashes to ${configDigest}`);
    }
    const diffIds = readDiffIds(configBytes, entry.config, this.description);
    if (diffIds.length !== entry.layers.length) {
      throw new ArchiveError('invalid-archive', `${this.description}: ${entry.config} lists ${diffIds.length} diff_ids for ${entry.layers.length} layers`);
    }
    const layers: Descriptor[] = [];
    for (const [i, path] of entry.layers.entries()) {
      const layer = await digestLayer(this.files, path, diffIds[i]!, this.description, options);
      this.paths.set(layer.digest, path);
      layers.push(layer);
    }
    this.paths.set(configDigest, entry.config);
    const manifest = new TextEncoder().encode(JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.DockerManifest,
      config: { mediaType: MediaType.DockerConfig, size: configBytes.length, digest: configDigest },
      layers,
    }));
    const descriptor = { mediaType: MediaType.DockerManifest, digest: computeDigest(manifest), size: manifest.length };
    this.manifests.set(descriptor.digest, manifest);
    return { descriptor, manifest };
  }
}

function readDiffIds(configBytes: Uint8Array, path: string, label: string): string[] {
  try {
    const config = JSON.parse(new TextDecoder().decode(configBytes)) as { rootfs?: { diff_ids?: unknown } };
    const ids = config.rootfs?.diff_ids;
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return ids as string[];
  } catch (err) {
    throw new ArchiveError('invalid-archive', `${label}: ${path} is not valid JSON`, { cause: err });
  }
  throw new ArchiveError('invalid-archive', `${label}: ${path} has no rootfs.diff_ids`);
}
