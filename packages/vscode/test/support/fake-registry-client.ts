/**
 * A small in-memory RegistryClient for fast model unit tests (paging, filter, sort, mutations). It
 * counts calls; the real behaviour is tested against the rig (test/model/rig-model.test.ts and the
 * extension-host suite).
 */
import type {
  ChangeableAttributes, ManifestInfo, Page, PageOptions, RegistryClient, RepositoryInfo, TagInfo, TagOrder,
} from '@acrkit/core/registry/registry-client';

export interface FakeRepository {
  info: RepositoryInfo;
  tags: TagInfo[];
  /** Manifests no tag points at (listed by listManifests after the tagged ones' digests). */
  untagged?: ManifestInfo[];
}

export class FakeRegistryClient implements RegistryClient {
  readonly calls: string[] = [];
  /** When set, every call waits for it (to test cancellation) or fails with it. */
  gate?: Promise<void>;
  failWith?: unknown;
  readonly manifests = new Map<string, ManifestInfo>();

  constructor(
    readonly loginServer: string,
    readonly repositories: FakeRepository[],
    readonly backend: 'acr' | 'distribution' = 'acr',
  ) {}

  async listRepositories(options: PageOptions = {}): Promise<Page<RepositoryInfo>> {
    await this.enter(`listRepositories ${options.cursor ?? ''}`, options.signal);
    const names = this.repositories.map((r) => ({ name: r.info.name }));
    return page(names, options);
  }

  async getRepository(repository: string, options: { signal?: AbortSignal } = {}): Promise<RepositoryInfo> {
    await this.enter(`getRepository ${repository}`, options.signal);
    return { ...this.repo(repository).info };
  }

  async listTags(repository: string, options: PageOptions & { order?: TagOrder } = {}): Promise<Page<TagInfo>> {
    await this.enter(`listTags ${repository} ${options.cursor ?? ''}`, options.signal);
    const tags = [...this.repo(repository).tags];
    if (options.order === 'newest') tags.sort((a, b) => (b.lastUpdated?.getTime() ?? 0) - (a.lastUpdated?.getTime() ?? 0));
    if (options.order === 'oldest') tags.sort((a, b) => (a.lastUpdated?.getTime() ?? 0) - (b.lastUpdated?.getTime() ?? 0));
    return page(tags, options);
  }

  /** The tagged digests (one entry per digest, with its tags) then the untagged manifests; tags' order. */
  async listManifests(repository: string, options: PageOptions & { order?: TagOrder } = {}): Promise<Page<ManifestInfo>> {
    await this.enter(`listManifests ${repository} ${options.cursor ?? ''}`, options.signal);
    if (this.backend === 'distribution') throw new Error(`listing the manifests of "${repository}" is not supported on ${this.loginServer}: the distribution API lists tags only`);
    const repo = this.repo(repository);
    const byDigest = new Map<string, ManifestInfo>();
    for (const tag of repo.tags) {
      const entry = byDigest.get(tag.digest!) ?? { digest: tag.digest!, tags: [] };
      entry.tags!.push(tag.name);
      byDigest.set(tag.digest!, entry);
    }
    return page([...byDigest.values(), ...(repo.untagged ?? [])], options);
  }

  async getTag(repository: string, tag: string, options: { signal?: AbortSignal } = {}): Promise<TagInfo> {
    await this.enter(`getTag ${repository}:${tag}`, options.signal);
    const found = this.repo(repository).tags.find((t) => t.name === tag);
    if (!found) throw Object.assign(new Error(`tag ${tag} not found`), { status: 404 });
    return { ...found };
  }

  async getManifest(repository: string, digest: string, options: { signal?: AbortSignal } = {}): Promise<ManifestInfo> {
    await this.enter(`getManifest ${repository}@${digest}`, options.signal);
    return this.manifests.get(digest) ?? { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, os: 'linux', architecture: 'amd64' };
  }

  async setTagAttributes(repository: string, tag: string, attributes: ChangeableAttributes): Promise<TagInfo> {
    this.calls.push(`setTagAttributes ${repository}:${tag}`);
    const found = this.repo(repository).tags.find((t) => t.name === tag)!;
    found.attributes = { ...found.attributes, ...attributes };
    return { ...found };
  }

  async setManifestAttributes(_repository: string, digest: string): Promise<ManifestInfo> {
    return { digest };
  }

  async deleteTag(repository: string, tag: string): Promise<void> {
    this.calls.push(`deleteTag ${repository}:${tag}`);
    const repo = this.repo(repository);
    repo.tags = repo.tags.filter((t) => t.name !== tag);
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    const repo = this.repo(repository);
    repo.tags = repo.tags.filter((t) => t.digest !== digest);
    repo.untagged = repo.untagged?.filter((m) => m.digest !== digest);
  }

  async deleteRepository(repository: string): Promise<void> {
    const at = this.repositories.findIndex((r) => r.info.name === repository);
    this.repositories.splice(at, 1);
  }

  private repo(name: string): FakeRepository {
    const found = this.repositories.find((r) => r.info.name === name);
    if (!found) throw Object.assign(new Error(`repository ${name} not found`), { status: 404 });
    return found;
  }

  private async enter(call: string, signal?: AbortSignal): Promise<void> {
    this.calls.push(call.trim());
    if (this.gate) {
      await Promise.race([this.gate, new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)))]);
    }
    signal?.throwIfAborted();
    if (this.failWith) throw this.failWith;
  }
}

function page<T>(items: T[], options: PageOptions): Page<T> {
  const start = options.cursor ? Number(options.cursor) : 0;
  const size = options.pageSize ?? 100;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? String(end) : undefined };
}

/** `count` tags named t0..t{count-1}, t{count-1} the newest, one digest per tag unless given. */
export function makeTags(count: number, base = Date.UTC(2026, 0, 1)): TagInfo[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `t${i}`,
    digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    createdTime: new Date(base + i * 60_000),
    lastUpdated: new Date(base + i * 60_000),
    attributes: { writeEnabled: true, deleteEnabled: true, readEnabled: true, listEnabled: true },
  }));
}
