/**
 * An in-memory PushTarget that records the order of operations, for fast unit tests of the push
 * engine's ordering and failure rules. Never the only test of a registry operation (see the rig tests).
 */
import { computeDigest } from '../../../src/oci/digest';
import type { Descriptor } from '../../../src/oci/types';
import type { BlobAction, BlobBody } from '../../../src/registry/blob-upload';
import type { PushTarget } from '../../../src/registry/push-target';

export class MemoryTarget implements PushTarget {
  readonly registry = 'memory.test';
  readonly blobs = new Map<string, Uint8Array>();
  readonly manifests = new Map<string, { bytes: Uint8Array; mediaType: string }>();
  readonly log: string[] = [];
  /** Digests whose upload fails. */
  readonly failing = new Set<string>();
  inFlight = 0;
  peak = 0;

  constructor(readonly name = 'mem/app') {}

  describe(reference?: string): string {
    return `${this.registry}/${this.name}${reference ? `:${reference}` : ''}`;
  }

  async tryResolve(reference: string): Promise<Descriptor | undefined> {
    const m = this.manifests.get(reference);
    return m && { mediaType: m.mediaType, digest: computeDigest(m.bytes), size: m.bytes.length };
  }

  async blobExists(digest: string): Promise<boolean> {
    return this.blobs.has(digest);
  }

  async pushBlob(descriptor: Descriptor, body: BlobBody): Promise<void> {
    this.peak = Math.max(this.peak, ++this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (this.failing.has(descriptor.digest)) throw new Error(`upload of ${descriptor.digest} refused`);
      const source = body();
      const chunks: Uint8Array[] = [];
      if (source instanceof Uint8Array) chunks.push(source);
      else for await (const c of source) chunks.push(c);
      this.blobs.set(descriptor.digest, Buffer.concat(chunks));
      this.log.push(`blob ${descriptor.digest}`);
    } finally {
      this.inFlight--;
    }
  }

  async mountBlob(descriptor: Descriptor, from: string, body: BlobBody): Promise<BlobAction> {
    await this.pushBlob(descriptor, body);
    this.log.push(`mount-fallback ${from}`);
    return 'uploaded';
  }

  async pushManifest(reference: string, bytes: Uint8Array, mediaType: string): Promise<Descriptor> {
    this.manifests.set(reference, { bytes, mediaType });
    this.log.push(`manifest ${reference}`);
    return { mediaType, digest: computeDigest(bytes), size: bytes.length };
  }
}
