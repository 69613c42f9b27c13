/**
 * The distribution data-plane client for one repository on one registry: manifests, blobs, uploads,
 * mounts and tag listing. Each method is a thin call into the file that holds that concern, so this
 * class is the one object callers construct (oras-go `remote.Repository`).
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import type { Descriptor } from '../oci/types';
import { blobExists, deleteBlob, fetchBlob, type BlobStream } from './blobs';
import { mountBlob, pushBlob, type BlobAction, type BlobBody, type UploadOptions } from './blob-upload';
import { createEndpoint, describeEndpoint, type Endpoint, type RepositoryOptions } from './endpoint';
import {
  deleteManifest, fetchManifest, pushManifest, resolveManifest, tryResolveManifest, type CallOptions, type FetchedManifest,
} from './manifests';
import type { ListOptions } from './paged-list';
import { pingRegistry } from './ping';
import type { PushTarget } from './push-target';
import type { Page } from './registry-client';
import { listTags } from './tags-list';

export type { RepositoryOptions } from './endpoint';

/** One repository on one registry. Construction checks the names; no request is sent until a call. */
export class Repository implements PushTarget {
  /** The checked endpoint (URLs, scopes, transport). */
  readonly endpoint: Endpoint;

  constructor(private readonly options: RepositoryOptions) {
    this.endpoint = createEndpoint(options);
  }

  get registry(): string {
    return this.endpoint.registry;
  }

  get name(): string {
    return this.endpoint.repository;
  }

  /** `registry/repository[:tag|@digest]`, for messages. */
  describe(reference?: string): string {
    return describeEndpoint(this.endpoint, reference);
  }

  /** Another repository on the same registry, with the same transport and options. */
  sibling(repository: string): Repository {
    return new Repository({ ...this.options, repository });
  }

  /** `GET /v2/` on the registry. */
  ping(options: CallOptions = {}): Promise<void> {
    return pingRegistry({ ...this.options, signal: options.signal });
  }

  /** HEADs a manifest by tag or digest: its digest, size and media type. */
  resolve(reference: string, options?: CallOptions): Promise<Descriptor> {
    return resolveManifest(this.endpoint, reference, options);
  }

  /** HEADs a manifest: its descriptor, or undefined when the registry answers 404. */
  tryResolve(reference: string, options?: CallOptions): Promise<Descriptor | undefined> {
    return tryResolveManifest(this.endpoint, reference, options);
  }

  /** GETs a manifest's exact bytes (≤ 4 MiB, digest verified). */
  fetchManifest(reference: string, options?: CallOptions): Promise<FetchedManifest> {
    return fetchManifest(this.endpoint, reference, options);
  }

  /** PUTs manifest bytes under a tag or digest; returns the descriptor (registry digest checked). */
  pushManifest(reference: string, bytes: Uint8Array, mediaType: string, options?: CallOptions): Promise<Descriptor> {
    return pushManifest(this.endpoint, reference, bytes, mediaType, options);
  }

  /** DELETEs a manifest by digest. */
  deleteManifest(digest: string, options?: CallOptions): Promise<void> {
    return deleteManifest(this.endpoint, digest, options);
  }

  /** HEADs a blob: true when present, false on 404. */
  blobExists(digest: string, options?: CallOptions): Promise<boolean> {
    return blobExists(this.endpoint, digest, options);
  }

  /** GETs a blob as a stream verified while it flows. */
  fetchBlob(digest: string, options?: CallOptions & { expectedSize?: number }): Promise<BlobStream> {
    return fetchBlob(this.endpoint, digest, options);
  }

  /** Uploads a blob (monolithic PUT for small ones, streamed PATCH + PUT for large ones). */
  pushBlob(descriptor: Descriptor, body: BlobBody, options?: UploadOptions): Promise<void> {
    return pushBlob(this.endpoint, descriptor, body, options);
  }

  /** Mounts a blob from `from` on this registry, uploading `body` when the registry does not mount. */
  mountBlob(descriptor: Descriptor, from: string, body: BlobBody, options?: UploadOptions): Promise<BlobAction> {
    return mountBlob(this.endpoint, descriptor, from, body, options);
  }

  /** DELETEs a blob. */
  deleteBlob(digest: string, options?: CallOptions): Promise<void> {
    return deleteBlob(this.endpoint, digest, options);
  }

  /** Pages of tag names (registry order), following `Link` within the registry, bounded by `maxPages`. */
  listTags(options?: ListOptions): AsyncIterable<Page<string>> {
    return listTags(this.endpoint, options);
  }
}
