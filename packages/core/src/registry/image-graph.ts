/**
 * The content graph of an image or index: every manifest (children before the manifests that name
 * them, the root last) and every distinct blob. Push and copy walk it, whatever the source is.
 *
 * Reference: https://github.com/opencontainers/image-spec/blob/v1.1.1/image-index.md
 */
import { parseManifest } from '../oci/manifest';
import { isImageIndex, type Descriptor } from '../oci/types';
import { RegistryProtocolError } from './registry-protocol-error';

/** A manifest and its exact bytes (pushed unchanged, so digests are preserved). */
export interface ManifestNode {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

export interface ImageGraph {
  /** Children before parents; the root is last. */
  manifests: ManifestNode[];
  /** Configs and layers of every image in the graph, each digest once. */
  blobs: Descriptor[];
}

/** Indexes of indexes of ... beyond this depth are refused (a cycle would otherwise never end). */
const MAX_DEPTH = 8;

/** Loads the graph under `root`, fetching each manifest once through `fetch`. */
export async function loadImageGraph(
  root: Descriptor, fetch: (descriptor: Descriptor) => Promise<Uint8Array>,
): Promise<ImageGraph> {
  const manifests = new Map<string, ManifestNode>();
  const blobs = new Map<string, Descriptor>();
  const visit = async (descriptor: Descriptor, depth: number): Promise<void> => {
    if (manifests.has(descriptor.digest)) return;
    if (depth > MAX_DEPTH) throw new RegistryProtocolError('too-deep', `manifest ${descriptor.digest}: indexes nested deeper than ${MAX_DEPTH}`);
    const bytes = await fetch(descriptor);
    const manifest = parseManifest(bytes, descriptor.mediaType);
    if (isImageIndex(manifest)) {
      await Promise.all(manifest.manifests.map((child) => visit(child, depth + 1)));
    } else {
      for (const blob of [manifest.config, ...manifest.layers]) if (!blobs.has(blob.digest)) blobs.set(blob.digest, blob);
    }
    // Set after the children, so the map's insertion order is a valid push order.
    if (!manifests.has(descriptor.digest)) {
      manifests.set(descriptor.digest, { descriptor: { ...descriptor, mediaType: manifest.mediaType ?? descriptor.mediaType }, bytes });
    }
  };
  await visit(root, 0);
  return { manifests: [...manifests.values()], blobs: [...blobs.values()] };
}
