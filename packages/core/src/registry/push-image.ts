/**
 * Pushes an image or index from any ImageSource to a repository: blobs first with bounded
 * parallelism (skipping what exists, mounting what a hint says is next door), then child manifests,
 * then the root under each tag, so nothing is tagged unless everything it needs is in.
 *
 * A second push of the same image costs one HEAD: if a target tag already names the root digest,
 * the registry has the whole graph (ggcr does the same).
 */
import type { Descriptor } from '../oci/types';
import type { ImageSource } from '../sources/image-source';
import { checkManifestReference } from './endpoint';
import { copyGraph, type GraphCopyHooks } from './copy-graph';
import { onSource, onTarget } from './image-operation-error';
import { loadImageGraph } from './image-graph';
import type { PushTarget } from './push-target';

export interface PushImageOptions extends GraphCopyHooks {
  /** Tags to put the root manifest under. If undefined or empty, the image is pushed by digest only. */
  tags?: string[];
  /** Which image of the source (its tag / `ref.name`). If undefined, the source's only image. */
  sourceTag?: string;
  signal?: AbortSignal;
}

/** What was pushed: the root manifest and the tags that now name it. */
export interface PushResult {
  digest: string;
  mediaType: string;
  size: number;
  tags: string[];
}

/** Pushes `source`'s image to `target`; errors are ImageOperationErrors saying which side failed. */
export async function pushImage(source: ImageSource, target: PushTarget, options: PushImageOptions = {}): Promise<PushResult> {
  const tags = [...new Set(options.tags ?? [])];
  tags.forEach(checkManifestReference);
  const subject = `${source.description}${options.sourceTag ? `:${options.sourceTag}` : ''} to ${target.describe(tags[0])}`;
  const { signal } = options;
  const root = await onSource('push', subject, () => source.resolve(options.sourceTag, { signal }));
  return pushResolved(source, root, target, tags, 'push', subject, options);
}

/** Pushes the graph under `root` (already resolved in `source`); shared by push and copy. */
export async function pushResolved(
  source: ImageSource, root: Descriptor, target: PushTarget, tags: string[],
  operation: 'push' | 'copy', subject: string, options: GraphCopyHooks & { signal?: AbortSignal },
): Promise<PushResult> {
  const { signal } = options;
  const result = (): PushResult => ({ digest: root.digest, mediaType: root.mediaType, size: root.size, tags });
  const missing = await onTarget(operation, subject, () => tagsMissing(target, root, tags, signal));
  if (missing.length === 0) return result();
  const rootBytes = await onSource(operation, subject, () => source.fetchManifest(root, { signal }));
  if (missing.length < Math.max(tags.length, 1)) {
    // Some tag already names this digest, so every blob and child is there: only tags are missing.
    await onTarget(operation, subject, () => putTags(target, rootBytes, root.mediaType, missing, options));
    return result();
  }
  const fetch = (d: Descriptor) => (d.digest === root.digest ? Promise.resolve(rootBytes) : source.fetchManifest(d, { signal }));
  const graph = await onSource(operation, subject, () => loadImageGraph(root, fetch));
  await copyGraph(source, graph, target, operation, subject, options);
  await onTarget(operation, subject, () => putTags(target, rootBytes, root.mediaType, tags.length ? tags : [root.digest], options));
  return result();
}

/** The tags (or, untagged, the digest) that do not yet name `root` in `target`: one HEAD each. */
async function tagsMissing(target: PushTarget, root: Descriptor, tags: string[], signal?: AbortSignal): Promise<string[]> {
  const references = tags.length ? tags : [root.digest];
  const missing: string[] = [];
  for (const reference of references) {
    const current = await target.tryResolve(reference, { signal });
    if (current?.digest !== root.digest) missing.push(reference);
  }
  return missing;
}

async function putTags(
  target: PushTarget, bytes: Uint8Array, mediaType: string, references: string[], options: GraphCopyHooks & { signal?: AbortSignal },
): Promise<void> {
  for (const reference of references) {
    const { digest } = await target.pushManifest(reference, bytes, mediaType, { signal: options.signal });
    options.onManifest?.({ digest, mediaType, reference });
  }
}
