/**
 * Tags an image that is already in a repository: the manifest's exact bytes are fetched once and
 * PUT under each new tag. No blob moves; the digest cannot change.
 */
import { checkManifestReference } from './endpoint';
import { onSource, onTarget } from './image-operation-error';
import type { PushResult } from './push-image';
import type { Repository } from './repository';

export interface TagImageOptions {
  signal?: AbortSignal;
  /** Called after each tag is put. */
  onTagged?: (tag: string) => void;
}

/** Puts the manifest named by `reference` (tag or digest) in `repository` under every tag in `tags`. */
export async function tagImage(repository: Repository, reference: string, tags: string[], options: TagImageOptions = {}): Promise<PushResult> {
  checkManifestReference(reference);
  const unique = [...new Set(tags)];
  unique.forEach(checkManifestReference);
  const subject = `${repository.describe(reference)} as ${unique.join(', ') || '(no tags)'}`;
  const { signal } = options;
  const { descriptor, bytes } = await onSource('tag', subject, () => repository.fetchManifest(reference, { signal }));
  for (const tag of unique) {
    await onTarget('tag', subject, () => repository.pushManifest(tag, bytes, descriptor.mediaType, { signal }));
    options.onTagged?.(tag);
  }
  return { digest: descriptor.digest, mediaType: descriptor.mediaType, size: descriptor.size, tags: unique };
}
