/**
 * A repository seen as an ImageSource, so copying between repositories and registries reuses the
 * push engine: manifests come verified from `fetchManifest`, blobs stream through verified.
 */
import type { Descriptor } from '../oci/types';
import type { ImageSource, SourceOptions } from '../sources/image-source';
import type { Repository } from './repository';

/** An ImageSource reading `repository`; `resolve()` without a tag resolves `reference`. */
export function registrySource(repository: Repository, reference: string): ImageSource {
  return {
    description: repository.describe(reference),
    resolve: (tag?: string, options?: SourceOptions) => repository.resolve(tag ?? reference, options),
    tags: async () => [reference],
    fetchManifest: async (descriptor: Descriptor, options?: SourceOptions) =>
      (await repository.fetchManifest(descriptor.digest, options)).bytes,
    openBlob: (descriptor: Descriptor, options?: SourceOptions) => streamBlob(repository, descriptor, options),
    blobSize: async (descriptor: Descriptor) => descriptor.size,
    close: async () => {},
  };
}

async function* streamBlob(repository: Repository, descriptor: Descriptor, options?: SourceOptions): AsyncIterable<Uint8Array> {
  const blob = await repository.fetchBlob(descriptor.digest, { ...options, expectedSize: descriptor.size });
  yield* blob.stream as unknown as AsyncIterable<Uint8Array>;
}
