/**
 * The metadata store kept consistent with Distribution. Writes that go through the front update the
 * store directly (afterProxy); reads reconcile lazily, so repositories, tags and manifests that reached
 * Distribution another way (a rig restarted on old storage) are still listed, and ones that vanished
 * are dropped. A repository reconciled once is only reconciled again when a cheap look at the storage
 * (tag directory count, manifest revisions) disagrees with the store: listing a 10,000-tag repository
 * must not cost a full Distribution tag list and a comparison per request.
 */
import {
  fetchManifest,
  listDistributionRepositories,
  listDistributionTags,
  readManifestFacts,
  type DistributionFetch,
  type FetchedManifest,
} from './distribution-reader';
import { MetadataStore, type ManifestFacts, type ManifestRecord, type RepositoryRecord } from './metadata-store';
import { countTagDirectories, listManifestRevisions, tagLinkDigest, tagLinkTime } from './storage-files';

export class AcrState {
  readonly store: MetadataStore;
  /** Repositories reconciled with Distribution at least once since the store was created. */
  private readonly synced = new Set<string>();

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
    // A digest is content-addressed: re-tagging a known manifest needs no new facts (nor a config fetch).
    const facts = this.store.getManifest(repository, manifest.digest) ?? (await this.facts(repository, manifest));
    const at = this.store.tick();
    this.store.recordManifest(repository, facts, at);
    if (!reference.includes(':')) this.store.recordTag(repository, reference, facts.digest, at);
  }

  /** Repository names Distribution holds, each with a store record. */
  async syncCatalog(): Promise<RepositoryRecord[]> {
    const names = await listDistributionRepositories(this.distributionFetch);
    const present = new Set(names);
    for (const name of [...this.store.repositories.keys()]) {
      if (!present.has(name)) this.store.removeRepository(name);
    }
    return names.map((name) => this.store.ensureRepository(name));
  }

  /** Brings one repository's tags and manifests in line with Distribution; undefined when it does not exist. */
  async syncRepository(repository: string): Promise<RepositoryRecord | undefined> {
    const known = this.store.repositories.get(repository);
    if (known && this.synced.has(repository) && (await this.unchanged(repository))) return known;
    const tags = await listDistributionTags(this.distributionFetch, repository);
    const digests = await listManifestRevisions(this.storageDir, repository);
    if (tags === undefined && digests.length === 0) {
      this.store.removeRepository(repository);
      this.synced.delete(repository);
      return undefined;
    }
    const repo = this.store.ensureRepository(repository);
    const tagSet = new Set(tags ?? []);
    const digestSet = new Set(digests);
    for (const tag of this.store.tagsOf(repository)) {
      if (!tagSet.has(tag.name)) this.store.removeTag(repository, tag.name);
    }
    for (const manifest of this.store.manifestsOf(repository)) {
      if (!digestSet.has(manifest.digest)) this.store.removeManifest(repository, manifest.digest);
    }
    for (const tag of tagSet) {
      if (!this.store.getTag(repository, tag)) await this.discover(repository, tag);
    }
    for (const digest of digests) {
      if (!this.store.getManifest(repository, digest)) await this.discover(repository, digest);
    }
    this.synced.add(repository);
    return repo;
  }

  /**
   * Whether the storage still matches the store: same number of tag directories (what Distribution
   * lists) and the same manifest revisions. Writes through the front keep these equal (afterProxy);
   * only changes made behind the front's back, such as a rig restarted on old storage, make them differ.
   */
  private async unchanged(repository: string): Promise<boolean> {
    const [tagCount, digests] = await Promise.all([
      countTagDirectories(this.storageDir, repository),
      listManifestRevisions(this.storageDir, repository),
    ]);
    if (tagCount !== this.store.tagCount(repository) || digests.length !== this.store.manifestCount(repository)) return false;
    return digests.every((digest) => this.store.getManifest(repository, digest) !== undefined);
  }

  /** The manifest record, reconciling once when the store does not know the digest. */
  async findManifest(repository: string, digest: string): Promise<ManifestRecord | undefined> {
    return this.store.getManifest(repository, digest) ?? ((await this.syncRepository(repository)) && this.store.getManifest(repository, digest));
  }

  private async discover(repository: string, reference: string): Promise<void> {
    const isTag = !reference.includes(':');
    const linked = isTag ? await tagLinkTime(this.storageDir, repository, reference) : undefined;
    const at = linked ? linked.getTime() * 10_000 : this.store.tick();
    // Many tags usually share a manifest: one already known needs no fetch from Distribution.
    const linkedDigest = isTag ? await tagLinkDigest(this.storageDir, repository, reference) : undefined;
    const known = linkedDigest ? this.store.getManifest(repository, linkedDigest) : undefined;
    let facts: ManifestFacts | undefined = known;
    if (!facts) {
      const manifest = await fetchManifest(this.distributionFetch, repository, reference);
      if (!manifest) return;
      facts = await this.facts(repository, manifest);
    }
    this.store.recordManifest(repository, facts, at);
    if (isTag) this.store.recordTag(repository, reference, facts.digest, at);
  }

  private facts(repository: string, manifest: FetchedManifest) {
    return readManifestFacts(this.distributionFetch, repository, manifest, (digest) => this.store.getManifest(repository, digest)?.imageSize);
  }
}
