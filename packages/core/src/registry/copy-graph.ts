/**
 * Copies a loaded image graph into a repository: every blob (HEAD first; skipped when present,
 * mounted when a hint names a sibling repository, else uploaded) with bounded parallelism, then the
 * child manifests by digest, children before parents. The root is left to the caller, which tags it.
 */
import type { Descriptor } from '../oci/types';
import type { ImageSource } from '../sources/image-source';
import { SourceMismatchError, type BlobAction, type BlobBody } from './blob-upload';
import { ImageOperationError, onSource, onTarget } from './image-operation-error';
import type { ImageGraph } from './image-graph';
import type { PushTarget } from './push-target';
import { runBounded } from './run-bounded';

/** Reported once per blob the image needs. */
export interface BlobEvent {
  digest: string;
  size: number;
  action: BlobAction;
}

/** Reported once per manifest put (children by digest, the root under each tag). */
export interface ManifestEvent {
  digest: string;
  mediaType: string;
  reference: string;
}

export interface GraphCopyHooks {
  /**
   * Blobs in flight at once. If undefined, {@link DEFAULT_CONCURRENCY}.
   */
  concurrency?: number;
  /**
   * A repository on the destination registry that may already hold a blob, to mount from instead of
   * uploading: one name for every blob, or a function per blob (undefined: no hint).
   */
  mountFrom?: string | ((blob: Descriptor) => string | undefined);
  /** Blobs up to this size go in one PUT. If undefined, blob-upload's default (32 MiB). */
  monolithicLimit?: number;
  onBlob?: (event: BlobEvent) => void;
  onManifest?: (event: ManifestEvent) => void;
}

/**
 * 5 blobs at once: between oras (3 for copy, 5 for push), crane (4) and containers/image (6); on two
 * cores the registry's hashing is the limit beyond that (push-perf.md).
 */
export const DEFAULT_CONCURRENCY = 5;

/** Copies every blob and every non-root manifest of `graph` from `source` to `target`. */
export async function copyGraph(
  source: ImageSource, graph: ImageGraph, target: PushTarget, operation: 'push' | 'copy', subject: string,
  options: GraphCopyHooks & { signal?: AbortSignal },
): Promise<void> {
  const copy = (blob: Descriptor, signal: AbortSignal) => copyBlob(source, blob, target, operation, subject, options, signal);
  await runBounded(graph.blobs, options.concurrency ?? DEFAULT_CONCURRENCY, copy, options.signal);
  for (const node of graph.manifests.slice(0, -1)) {
    const { digest, mediaType } = node.descriptor;
    await onTarget(operation, subject, () => target.pushManifest(digest, node.bytes, mediaType, { signal: options.signal }));
    options.onManifest?.({ digest, mediaType, reference: digest });
  }
}

async function copyBlob(
  source: ImageSource, blob: Descriptor, target: PushTarget, operation: 'push' | 'copy', subject: string,
  options: GraphCopyHooks, signal: AbortSignal,
): Promise<void> {
  const report = (action: BlobAction) => options.onBlob?.({ digest: blob.digest, size: blob.size, action });
  if (await onTarget(operation, subject, () => target.blobExists(blob.digest, { signal }))) return report('skipped');
  await onSource(operation, `${subject} (blob ${blob.digest})`, async () => {
    // A wrong size would otherwise surface as an obscure Content-Length error from the HTTP client.
    const size = await source.blobSize(blob, { signal });
    if (size !== blob.size) throw new SourceMismatchError(blob.digest, `${size} bytes, expected ${blob.size}`, `${source.description} blob`);
  });
  let sourceFailure: { error: unknown } | undefined;
  const body: BlobBody = () => readSource(source, blob, signal, (error) => { sourceFailure ??= { error }; });
  const from = typeof options.mountFrom === 'function' ? options.mountFrom(blob) : options.mountFrom;
  const upload = { signal, monolithicLimit: options.monolithicLimit };
  try {
    const action = from && from !== target.name
      ? await target.mountBlob(blob, from, body, upload)
      : await target.pushBlob(blob, body, upload).then(() => 'uploaded' as const);
    report(action);
  } catch (err) {
    const fromSource = sourceFailure !== undefined || err instanceof SourceMismatchError;
    throw new ImageOperationError(operation, fromSource ? 'source' : 'destination', `${subject} (blob ${blob.digest})`, sourceFailure?.error ?? err);
  }
}

/** The source's blob stream, with read failures recorded so they are blamed on the source. */
async function* readSource(
  source: ImageSource, blob: Descriptor, signal: AbortSignal, onError: (error: unknown) => void,
): AsyncIterable<Uint8Array> {
  try {
    yield* source.openBlob(blob, { signal });
  } catch (error) {
    if (!signal.aborted) onError(error);
    throw error;
  }
}
