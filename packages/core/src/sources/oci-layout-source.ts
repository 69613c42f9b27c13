/**
 * Reads an OCI image layout (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`) from a directory or,
 * through `tar-files.ts`, from an archive read in place. Tags are the index entries'
 * `org.opencontainers.image.ref.name` annotations, as skopeo, buildah and oras write them.
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.0/image-layout.md
 */
import { computeDigest, parseDigest } from '../oci/digest';
import type { Descriptor, ImageIndex } from '../oci/types';
import { ArchiveError } from './archive-error';
import type { ImageSource, SourceOptions } from './image-source';
import { directoryFiles, type LayoutFiles } from './layout-files';
import { MAX_MANIFEST_SIZE, selectByTag } from './select-tag';

const REF_NAME = 'org.opencontainers.image.ref.name';

/** Opens the OCI image layout in directory `dir`. Reference: image-spec v1.1.0 image-layout.md. */
export async function openOciLayout(dir: string, options: SourceOptions = {}): Promise<ImageSource> {
  return OciLayoutSource.open(directoryFiles(dir), `oci layout ${dir}`, options);
}

/** An ImageSource over any LayoutFiles holding an OCI layout. */
export class OciLayoutSource implements ImageSource {
  private constructor(
    private readonly files: LayoutFiles,
    readonly description: string,
    private readonly index: ImageIndex,
    private onClose: () => Promise<void>,
  ) {}

  /** Checks `oci-layout` and reads `index.json`; `onClose` releases whatever backs `files`. */
  static async open(files: LayoutFiles, description: string, options: SourceOptions = {}, onClose = async () => {}): Promise<OciLayoutSource> {
    const layout = await readJson(files, 'oci-layout', options) as { imageLayoutVersion?: unknown };
    if (typeof layout.imageLayoutVersion !== 'string') {
      throw new ArchiveError('invalid-archive', `${description}: oci-layout has no imageLayoutVersion`);
    }
    const index = await readJson(files, 'index.json', options) as ImageIndex;
    if (!Array.isArray(index.manifests)) throw new ArchiveError('invalid-archive', `${description}: index.json has no manifests array`);
    return new OciLayoutSource(files, description, index, onClose);
  }

  async resolve(tag?: string): Promise<Descriptor> {
    const named = this.index.manifests.map((d) => ({ name: d.annotations?.[REF_NAME], value: d }));
    return selectByTag(named, tag, this.description);
  }

  async tags(): Promise<string[]> {
    return this.index.manifests.flatMap((d) => d.annotations?.[REF_NAME] ?? []);
  }

  async fetchManifest(descriptor: Descriptor, options: SourceOptions = {}): Promise<Uint8Array> {
    const bytes = await this.files.read(blobPath(descriptor.digest), MAX_MANIFEST_SIZE, options);
    const actual = computeDigest(bytes);
    if (actual !== descriptor.digest) {
      throw new ArchiveError('digest-mismatch', `${this.description}: blob ${descriptor.digest} hashes to ${actual}`);
    }
    return bytes;
  }

  openBlob(descriptor: Descriptor, options: SourceOptions = {}): AsyncIterable<Uint8Array> {
    return this.files.stream(blobPath(descriptor.digest), options);
  }

  async blobSize(descriptor: Descriptor): Promise<number> {
    return this.files.size(blobPath(descriptor.digest));
  }

  async close(): Promise<void> {
    const release = this.onClose;
    this.onClose = async () => {};
    await release();
  }
}

/** `blobs/<algorithm>/<hex>`; parseDigest rejects anything that is not a well-formed digest, so no path tricks. */
export function blobPath(digest: string): string {
  const { algorithm, hex } = parseDigest(digest);
  return `blobs/${algorithm}/${hex}`;
}

async function readJson(files: LayoutFiles, path: string, options: SourceOptions): Promise<unknown> {
  if (!(await files.exists(path))) throw new ArchiveError('invalid-archive', `${files.label}: ${path} is missing (not an OCI image layout?)`);
  const bytes = await files.read(path, MAX_MANIFEST_SIZE, options);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ArchiveError('invalid-archive', `${files.label}: ${path} is not valid JSON`, { cause: err });
  }
}
