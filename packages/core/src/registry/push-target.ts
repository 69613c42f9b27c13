/**
 * What the push and copy engines need from a destination (oras-go `Target`): a role interface that
 * `Repository` satisfies, so push, copy and tag are written once and can be unit-tested against an
 * in-memory store as well as integration-tested against a real registry.
 */
import type { Descriptor } from '../oci/types';
import type { BlobAction, BlobBody, UploadOptions } from './blob-upload';
import type { CallOptions } from './manifests';

export interface PushTarget {
  /** The registry host, so copies within one registry can mount. */
  readonly registry: string;
  /** The repository name, so a mount from the same repository is skipped. */
  readonly name: string;
  /** `registry/repository[:tag|@digest]`, for messages. */
  describe(reference?: string): string;
  /** The manifest a tag or digest names, or undefined when there is none. */
  tryResolve(reference: string, options?: CallOptions): Promise<Descriptor | undefined>;
  blobExists(digest: string, options?: CallOptions): Promise<boolean>;
  pushBlob(descriptor: Descriptor, body: BlobBody, options?: UploadOptions): Promise<void>;
  /** Mounts from repository `from`, or uploads `body` when the destination cannot mount. */
  mountBlob(descriptor: Descriptor, from: string, body: BlobBody, options?: UploadOptions): Promise<BlobAction>;
  pushManifest(reference: string, bytes: Uint8Array, mediaType: string, options?: CallOptions): Promise<Descriptor>;
}
