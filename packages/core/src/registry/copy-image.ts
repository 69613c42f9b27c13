/**
 * Copies an image (an index with every platform) from one repository to another. On one registry
 * every blob is mounted, so no layer passes through the client; between registries blobs stream
 * through, verified, without touching disk. Manifests are copied byte for byte (digests preserved).
 */
import { DigestMismatchError } from '../oci/digest';
import { checkManifestReference } from './endpoint';
import type { GraphCopyHooks } from './copy-graph';
import { onSource } from './image-operation-error';
import { pushResolved, type PushResult } from './push-image';
import { registrySource } from './registry-source';
import type { PushTarget } from './push-target';
import type { Repository } from './repository';

export interface CopyImageOptions extends GraphCopyHooks {
  /**
   * Tags in the destination. If undefined: the source tag when `reference` is a tag, else none
   * (the image is copied by digest only).
   */
  tags?: string[];
  signal?: AbortSignal;
}

/**
 * Copies `reference` (tag or digest) from `source` to `target`. Same registry: `mountFrom`
 * defaults to the source repository.
 */
export async function copyImage(source: Repository, reference: string, target: PushTarget, options: CopyImageOptions = {}): Promise<PushResult> {
  checkManifestReference(reference);
  const tags = [...new Set(options.tags ?? (reference.includes(':') ? [] : [reference]))];
  tags.forEach(checkManifestReference);
  const subject = `${source.describe(reference)} to ${target.describe(tags[0])}`;
  const sameRegistry = source.registry === target.registry;
  const hooks = { ...options, mountFrom: options.mountFrom ?? (sameRegistry ? source.name : undefined) };
  const from = registrySource(source, reference);
  const root = await onSource('copy', subject, async () => {
    const resolved = await from.resolve(undefined, { signal: options.signal });
    if (reference.includes(':') && resolved.digest !== reference) throw new DigestMismatchError(reference, resolved.digest, 'manifest');
    return resolved;
  });
  return pushResolved(from, root, target, tags, 'copy', subject, hooks);
}
