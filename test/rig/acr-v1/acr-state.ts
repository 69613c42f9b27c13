/**
 * The metadata store kept consistent with Distribution. Writes that go through the front update the
 * store directly (afterProxy); reads reconcile lazily, so repositories, tags and manifests that reached
 * Distribution another way (a rig restarted on old storage) are still listed, and ones that vanished
 * are dropped.
 */
import {
  fetchManifest,
  listDistributionRepositories,
  listDistributionTags,
  readManifestFacts,
  type DistributionFetch,
  type FetchedManifest,
} from './distribution-reader';
import { MetadataStore, type ManifestRecord, type RepositoryRecord } from './metadata-store';
import { listManifestRevisions, tagLinkTime } from './storage-files';

export class AcrState {
  readonly store: MetadataStore;

  constructor(
    readonly loginServer: string,
    readonly distributionFetch: DistributionFetch,
    readonly storageDir: string,
    now?: () => Date | number,
  ) {
    this.store = new MetadataStore(now);
  }

  /** Records a manifest PUT that Distribution accepted (201) under `reference` (tag or digest). */
  async recordPush(repository: string, reference: string, manifest: FetchedManifest): Promise<void> {
    const facts = await this.facts(repository, manifest);
    const at = this.store.tick();
    this.store.recordManifest(repository, facts, at);
    if (!reference.includes(':')) this.store.recordTag(repository, reference, facts.digest, at);
  }

  /** Repository names Distribution holds, each with a store record. */
  async syncCatalog(): Promise<RepositoryRecord[]> {
    const names = await listDistributionRepositories(this.distributionFetch);
    for (const name of this.store.repositories.keys()) {
      if (!names.includes(name)) this.store.removeRepository(name);
    }
    return names.map((name) => this.store.ensureRepository(name));
  }

  /** Brings one repository's tags and manifests in line with Distribution; undefined when it does not exist. */
  async syncRepository(repository: string): Promise<RepositoryRecord | undefined> {
    const tags = await listDistributionTags(this.distributionFetch, repository);
    const digests = await listManifestRevisions(this.storageDir, repository);
    if (tags === undefined && digests.length === 0) {
      this.store.removeRepository(repository);
      return undefined;
    }
    const repo = this.store.ensureRepository(repository);
    for (const tag of this.store.tagsOf(repository)) {
      if (!tags?.includes(tag.name)) this.store.removeTag(repository, tag.name);
    }
    for (const manifest of this.store.manifestsOf(repository)) {
      if (!digests.includes(manifest.digest)) this.store.removeManifest(repository, manifest.digest);
    }
    for (const tag of tags ?? []) {
      if (!this.store.getTag(repository, tag)) await this.discover(repository, tag);
    }
    for (const digest of digests) {
      if (!this.store.getManifest(repository, digest)) await this.discover(repository, digest);
    }
    return repo;
  }

  /** The manifest record, reconciling once when the store does not know the digest. */
  async findManifest(repository: string, digest: string): Promise<ManifestRecord | undefined> {
    return this.store.getManifest(repository, digest) ?? ((await this.syncRepository(repository)) && this.store.getManifest(repository, digest));
  }

  private async discover(repository: string, reference: string): Promise<void> {
    const manifest = await fetchManifest(this.distributionFetch, repository, reference);
    if (!manifest) return;
    const facts = await this.facts(repository, manifest);
    const linked = reference.includes(':') ? undefined : await tagLinkTime(this.storageDir, repository, reference);
    const at = linked ? linked.getTime() * 10_000 : this.store.tick();
    this.store.recordManifest(repository, facts, at);
    if (!reference.includes(':')) this.store.recordTag(repository, reference, facts.digest, at);
  }

  private facts(repository: string, manifest: FetchedManifest) {
    return readManifestFacts(this.distributionFetch, repository, manifest, (digest) => this.store.getManifest(repository, digest)?.imageSize);
  }
}
