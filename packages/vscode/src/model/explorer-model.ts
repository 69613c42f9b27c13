/**
 * Registries → repositories → tags → platform manifests as plain data, loaded a page at a time.
 * No vscode import: the tree maps these nodes to TreeItems, commands call the mutations below, and the
 * headless tests drive it against the rig. Costs: expanding a repository is ONE page request
 * (`listTags` with the page size); tags carry their digest, times and locks, so no request per tag.
 */
import type { ManifestInfo, RegistryClient, RepositoryInfo, TagInfo } from '@acrkit/core/registry/registry-client';
import { classifyError, errorMessage } from './error-kind';
import { compileFilter, type FilterState, type NameFilter } from './filter';
import { type ExpandableNode, type ModelNode, nodeIds, type RegistryNodeData, type RepositoryNodeData, type TagNodeData } from './nodes';
import { PagedList } from './paged-list';
import type { RegistryEntry, RegistrySource } from './registry-entry';
import { type ModelSettings } from './settings';
import { NodeStore } from './node-store';
import { enrichRepositories, sortRepositories } from './repositories';

export interface ExplorerModelOptions {
  sources: RegistrySource[];
  /** The client for a registry; the caller caches clients (and with them their token caches). */
  clientFor(entry: RegistryEntry): RegistryClient;
  settings(): ModelSettings;
  /**
   * The media type of a manifest when a distribution-backend client did not give it: one HEAD, on hover
   * only. The ACR backend takes it from the properties response itself. If undefined, the tooltip goes without it.
   */
  mediaTypeOf?(entry: RegistryEntry, repository: string, digest: string, signal?: AbortSignal): Promise<string>;
}

export class ExplorerModel {
  filter: FilterState = {};
  readonly nodes = new NodeStore();
  private roots: Promise<ModelNode[]> | undefined;
  private readonly repositoryLists = new Map<string, PagedList<RepositoryInfo>>();
  private readonly tagLists = new Map<string, PagedList<TagInfo>>();
  /** Per repository: every manifest loaded so far (tagged ones too); the untagged among them are shown. */
  private readonly manifestLists = new Map<string, PagedList<ManifestInfo>>();
  private readonly firstPages = new Map<PagedList<unknown>, Promise<unknown>>();
  private readonly manifests = new Map<string, Promise<ManifestInfo>>();

  constructor(private readonly options: ExplorerModelOptions) {}

  /** The client serving a node's registry. */
  clientFor(entry: RegistryEntry): RegistryClient {
    return this.options.clientFor(entry);
  }

  /** Sets the repository or tag filter (blank clears it). */
  setFilter(target: 'repositories' | 'tags', pattern: string | undefined): void {
    this.filter = { ...this.filter, [target]: compileFilter(pattern) };
  }

  clearFilter(): void {
    this.filter = {};
  }

  /** Children of a node (the registries for undefined). Failures come back as an error node, never thrown. */
  async getChildren(parent?: ModelNode, options: { signal?: AbortSignal } = {}): Promise<ModelNode[]> {
    try {
      if (!parent) return await this.rootChildren();
      switch (parent.kind) {
        case 'registry': return await this.repositoryChildren(parent, options.signal);
        case 'repository': return await this.tagChildren(parent, options.signal);
        case 'tag': return await this.manifestChildren(parent, options.signal);
        default: return [];
      }
    } catch (err) {
      return [this.failureNode(parent, err)];
    }
  }

  /** Appends the next page under a "Load more" node's parent; returns the parent to redraw. */
  async loadMore(parent: RegistryNodeData | RepositoryNodeData, options: { signal?: AbortSignal; list?: 'untagged' } = {}): Promise<void> {
    if (parent.kind === 'registry') {
      const added = await this.repositoryList(parent).loadNext(options);
      await enrichRepositories(this.clientFor(parent.registry), added, options.signal);
      return;
    }
    await (options.list === 'untagged' ? this.manifestList(parent) : this.tagList(parent)).loadNext(options);
  }

  /** Drops what is cached for a node (everything for undefined) so its next expansion reloads only it. */
  invalidate(node?: ModelNode): void {
    if (!node) {
      this.roots = undefined;
      this.repositoryLists.clear();
      this.tagLists.clear();
      this.manifestLists.clear();
      this.manifests.clear();
      return;
    }
    if (node.kind === 'registry') this.repositoryLists.delete(node.id);
    if (node.kind === 'repository') {
      this.tagLists.delete(node.id);
      this.manifestLists.delete(node.id);
    }
    if (node.kind === 'tag' && node.tag.digest) this.manifests.delete(this.manifestKey(node.parent, node.tag.digest));
  }

  /** The manifest behind a tag or platform node (cached; one request the first time). */
  async getManifest(repository: RepositoryNodeData, digest: string, options: { signal?: AbortSignal } = {}): Promise<ManifestInfo> {
    const key = this.manifestKey(repository, digest);
    let pending = this.manifests.get(key);
    if (!pending) {
      pending = this.loadManifest(repository, digest, options.signal);
      this.manifests.set(key, pending);
      pending.catch(() => this.manifests.delete(key));
    }
    return pending;
  }

  private async loadManifest(repository: RepositoryNodeData, digest: string, signal?: AbortSignal): Promise<ManifestInfo> {
    const entry = repository.parent.registry;
    const client = this.clientFor(entry);
    const info = await client.getManifest(repository.repository.name, digest, { signal });
    if (!info.mediaType && client.backend === 'distribution' && this.options.mediaTypeOf) {
      info.mediaType = await this.options.mediaTypeOf(entry, repository.repository.name, digest, signal).catch(() => undefined);
    }
    return info;
  }

  /** The tag's digest, asking the registry when the listing did not say (plain Distribution). */
  async digestOf(node: TagNodeData, options: { signal?: AbortSignal } = {}): Promise<string> {
    if (!node.tag.digest) {
      const info = await this.clientFor(registryEntry(node)).getTag(node.parent.repository.name, node.tag.name, options);
      node.tag = { ...node.tag, ...info };
    }
    if (!node.tag.digest) throw new Error(`the registry did not give a digest for tag "${node.tag.name}"`);
    return node.tag.digest;
  }

  /** Replaces a tag's data after a change (lock, unlock, refresh) without reloading its repository. */
  updateTag(node: TagNodeData, info: TagInfo): void {
    node.tag = { ...node.tag, ...info };
    const list = this.tagLists.get(node.parent.id);
    const at = list?.items.findIndex((t) => t.name === info.name) ?? -1;
    if (list && at >= 0) list.items[at] = node.tag;
  }

  /** Puts a new or moved tag first in its repository's loaded list (it is the newest). */
  insertTag(repository: RepositoryNodeData, info: TagInfo): void {
    if (info.digest) this.removeUntagged(repository, info.digest);
    const list = this.tagLists.get(repository.id);
    if (!list) return;
    const at = list.items.findIndex((t) => t.name === info.name);
    if (at >= 0) list.items.splice(at, 1);
    list.items.unshift(info);
  }

  /** Removes tags from a repository's loaded list: by name, or every tag pointing at a digest. */
  removeTags(repository: RepositoryNodeData, which: { tag?: string; digest?: string }): void {
    if (which.digest !== undefined) this.removeUntagged(repository, which.digest);
    const list = this.tagLists.get(repository.id);
    if (!list) return;
    for (let i = list.items.length - 1; i >= 0; i--) {
      const t = list.items[i]!;
      if (t.name === which.tag || (which.digest !== undefined && t.digest === which.digest)) list.items.splice(i, 1);
    }
  }

  /** Removes a manifest from a repository's loaded manifest list (deleted, or tagged now). */
  removeUntagged(repository: RepositoryNodeData, digest: string): void {
    const list = this.manifestLists.get(repository.id);
    const at = list?.items.findIndex((m) => m.digest === digest) ?? -1;
    if (list && at >= 0) list.items.splice(at, 1);
  }

  /** Removes a repository from its registry's loaded list. */
  removeRepository(repository: RepositoryNodeData): void {
    const list = this.repositoryLists.get(repository.parent.id);
    const at = list?.items.findIndex((r) => r.name === repository.repository.name) ?? -1;
    if (list && at >= 0) list.items.splice(at, 1);
    this.tagLists.delete(repository.id);
    this.manifestLists.delete(repository.id);
  }

  private rootChildren(): Promise<ModelNode[]> {
    this.roots ??= this.loadRoots();
    return this.roots;
  }

  private async loadRoots(): Promise<ModelNode[]> {
    const results = await Promise.allSettled(this.options.sources.map((s) => s.listRegistries()));
    const nodes: ModelNode[] = [];
    const seen = new Set<string>();
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        nodes.push(this.failureNode(undefined, result.reason, this.options.sources[i]!.name));
        return;
      }
      for (const entry of result.value.sort((a, b) => a.loginServer.localeCompare(b.loginServer))) {
        if (seen.has(entry.id)) continue;
        seen.add(entry.id);
        nodes.push(this.nodes.intern({ kind: 'registry', id: nodeIds.registry(entry), registry: entry }));
      }
    });
    return nodes;
  }

  private async repositoryChildren(parent: RegistryNodeData, signal?: AbortSignal): Promise<ModelNode[]> {
    const client = this.clientFor(parent.registry);
    const list = this.repositoryList(parent);
    await this.ensureFirstPage(list, async () => {
      const items = await list.loadNext({ signal });
      await enrichRepositories(client, items, signal);
    });
    parent.backend = client.backend;
    const repositories = sortRepositories(list.items, this.options.settings().repositorySort);
    const nodes = this.visible(repositories, this.filter.repositories, (r) => r.name).map((repository) =>
      this.nodes.intern({ kind: 'repository', id: nodeIds.repository(parent, repository.name), parent, repository }));
    return this.withPaging(parent, list, nodes, this.filter.repositories, 'repositories');
  }

  /** Tags (one page request), then, with `showUntagged`, the untagged manifests (one more, in parallel). */
  private async tagChildren(parent: RepositoryNodeData, signal?: AbortSignal): Promise<ModelNode[]> {
    const list = this.tagList(parent);
    // Never rejects (failures become a message leaf), so it may run alongside the tag page unawaited.
    const untagged = this.options.settings().showUntagged ? this.untaggedChildren(parent, signal) : Promise.resolve([]);
    await this.ensureFirstPage(list, () => list.loadNext({ signal }));
    const nodes = this.visible(list.items, this.filter.tags, (t) => t.name).map((tag) =>
      this.nodes.intern({ kind: 'tag', id: nodeIds.tag(parent, tag.name), parent, tag }));
    return [...this.withPaging(parent, list, nodes, this.filter.tags, 'tags'), ...(await untagged)];
  }

  /**
   * The untagged manifests among those loaded, and "Load more untagged" while the registry has more.
   * A failure (e.g. a registry that cannot list manifests) becomes one message leaf: the tags stay usable.
   */
  private async untaggedChildren(parent: RepositoryNodeData, signal?: AbortSignal): Promise<ModelNode[]> {
    const list = this.manifestList(parent);
    try {
      await this.ensureFirstPage(list, () => list.loadNext({ signal }));
    } catch (err) {
      this.manifestLists.delete(parent.id); // try again on the next expansion
      return [this.nodes.intern({ kind: 'message', id: nodeIds.message(parent, 'untagged'), parent, message: `Untagged manifests: ${errorMessage(err)}` })];
    }
    const nodes: ModelNode[] = list.items.filter((m) => !m.tags?.length).map((manifest) =>
      this.nodes.intern({ kind: 'untagged', id: nodeIds.untagged(parent, manifest.digest), parent, manifest }));
    if (list.hasMore) {
      nodes.push(this.nodes.intern({ kind: 'loadMore', id: nodeIds.loadMore(parent, 'untagged'), parent, list: 'untagged', loaded: list.items.length, hidden: 0 }));
    }
    return nodes;
  }

  private async manifestChildren(parent: TagNodeData, signal?: AbortSignal): Promise<ModelNode[]> {
    const digest = await this.digestOf(parent, { signal });
    const info = await this.getManifest(parent.parent, digest, { signal });
    const platforms = info.references?.length
      ? info.references
      : [{ digest, os: info.os, architecture: info.architecture }];
    return platforms.map(({ digest: d, ...platform }) =>
      this.nodes.intern({ kind: 'manifest', id: nodeIds.manifest(parent, d), parent, digest: d, platform, info: d === digest ? info : undefined }));
  }

  /** Shares one first-page load between concurrent expansions of the same node. */
  private async ensureFirstPage(list: PagedList<unknown>, load: () => Promise<unknown>): Promise<void> {
    if (list.loaded) return;
    let pending = this.firstPages.get(list);
    if (!pending) {
      pending = load().finally(() => this.firstPages.delete(list));
      this.firstPages.set(list, pending);
    }
    await pending;
  }

  private visible<T>(items: T[], filter: NameFilter | undefined, name: (item: T) => string): T[] {
    return filter ? items.filter((item) => filter.test(name(item))) : items;
  }

  private withPaging(parent: RegistryNodeData | RepositoryNodeData, list: PagedList<unknown>, nodes: ModelNode[], filter: NameFilter | undefined, what: string): ModelNode[] {
    const hidden = list.items.length - nodes.length;
    if (nodes.length === 0) {
      const message = filter ? `No ${what} match "${filter.pattern}" in the ${list.items.length} loaded` : `No ${what}`;
      nodes.push(this.nodes.intern({ kind: 'message', id: nodeIds.message(parent, 'empty'), parent, message }));
    }
    if (list.hasMore) nodes.push(this.nodes.intern({ kind: 'loadMore', id: nodeIds.loadMore(parent), parent, loaded: list.items.length, hidden }));
    return nodes;
  }

  private repositoryList(parent: RegistryNodeData): PagedList<RepositoryInfo> {
    let list = this.repositoryLists.get(parent.id);
    if (!list) {
      const client = this.clientFor(parent.registry);
      list = new PagedList((o) => client.listRepositories(o), this.options.settings().pageSize);
      this.repositoryLists.set(parent.id, list);
    }
    return list;
  }

  private tagList(parent: RepositoryNodeData): PagedList<TagInfo> {
    let list = this.tagLists.get(parent.id);
    if (!list) {
      const client = this.clientFor(parent.parent.registry);
      const order = this.options.settings().tagSort;
      list = new PagedList((o) => client.listTags(parent.repository.name, { ...o, order }), this.options.settings().pageSize);
      this.tagLists.set(parent.id, list);
    }
    return list;
  }

  private manifestList(parent: RepositoryNodeData): PagedList<ManifestInfo> {
    let list = this.manifestLists.get(parent.id);
    if (!list) {
      const client = this.clientFor(parent.parent.registry);
      const order = this.options.settings().tagSort;
      list = new PagedList((o) => client.listManifests(parent.repository.name, { ...o, order }), this.options.settings().pageSize);
      this.manifestLists.set(parent.id, list);
    }
    return list;
  }

  private manifestKey(repository: RepositoryNodeData, digest: string): string {
    return `${repository.id}|${digest}`;
  }

  private failureNode(parent: ExpandableNode | ModelNode | undefined, err: unknown, sourceName?: string): ModelNode {
    const expandable = parent && (parent.kind === 'registry' || parent.kind === 'repository' || parent.kind === 'tag') ? parent : undefined;
    const kind = classifyError(err);
    if (kind === 'cancelled') {
      return this.nodes.intern({ kind: 'message', id: nodeIds.message(expandable, 'cancelled'), parent: expandable, message: 'Loading cancelled. Click to load again.', retry: true });
    }
    const registry = expandable ? registryEntry(expandable) : undefined;
    const isAuth = kind === 'auth' || kind === 'forbidden';
    const action = !isAuth ? 'retry' : registry?.source === 'manual' ? 'editCredentials' : 'signIn';
    const message = sourceName ? `${sourceName}: ${errorMessage(err)}` : errorMessage(err);
    const id = sourceName ? `${nodeIds.error(undefined)}|${sourceName}` : nodeIds.error(expandable);
    return this.nodes.intern({ kind: 'error', id, parent: expandable, errorKind: kind, message, action, registry });
  }
}

/** The registry entry behind an expandable node. */
export function registryEntry(node: ExpandableNode): RegistryEntry {
  return node.kind === 'registry' ? node.registry : node.kind === 'repository' ? node.parent.registry : node.parent.parent.registry;
}
