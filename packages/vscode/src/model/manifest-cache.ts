/**
 * Manifests behind tag and platform nodes, fetched once per repository and digest (tooltips and the
 * inspect commands ask again and again) and forgotten when their node is refreshed.
 */
import type { ManifestInfo, RegistryClient } from '@acrkit/core/registry/registry-client';
import type { RepositoryNodeData } from './nodes';
import type { RegistryEntry } from './registry-entry';

export interface ManifestCacheDeps {
  clientFor(entry: RegistryEntry): RegistryClient;
  /** The media type when a distribution-backend client did not give it (one HEAD); see ExplorerModelOptions. */
  mediaTypeOf?(entry: RegistryEntry, repository: string, digest: string, signal?: AbortSignal): Promise<string>;
}

export class ManifestCache {
  private readonly pending = new Map<string, Promise<ManifestInfo>>();

  constructor(private readonly deps: ManifestCacheDeps) {}

  /** The manifest `digest` of `repository`: one request the first time; a failure is not kept. */
  get(repository: RepositoryNodeData, digest: string, signal?: AbortSignal): Promise<ManifestInfo> {
    const key = keyOf(repository, digest);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.load(repository, digest, signal);
      this.pending.set(key, pending);
      pending.catch(() => this.pending.delete(key));
    }
    return pending;
  }

  forget(repository: RepositoryNodeData, digest: string): void {
    this.pending.delete(keyOf(repository, digest));
  }

  clear(): void {
    this.pending.clear();
  }

  private async load(repository: RepositoryNodeData, digest: string, signal?: AbortSignal): Promise<ManifestInfo> {
    const entry = repository.parent.registry;
    const client = this.deps.clientFor(entry);
    const info = await client.getManifest(repository.repository.name, digest, { signal });
    if (!info.mediaType && client.backend === 'distribution' && this.deps.mediaTypeOf) {
      info.mediaType = await this.deps.mediaTypeOf(entry, repository.repository.name, digest, signal).catch(() => undefined);
    }
    return info;
  }
}

function keyOf(repository: RepositoryNodeData, digest: string): string {
  return `${repository.id}|${digest}`;
}
