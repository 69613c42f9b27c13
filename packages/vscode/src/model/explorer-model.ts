/**
 * Registries → repositories → tags → platform manifests as plain data, loaded a page at a time.
 * No vscode import: the tree maps these nodes to TreeItems, commands call the mutations below, and the
 * headless tests drive it against the rig. Costs: expanding a registry is ONE catalog page request (names
 * only; a repository's counts and times load when it is hovered, `loadRepositoryDetails`); expanding a
 * repository is ONE page request (`listTags` with the page size); tags carry their digest, times and
 * locks, so no request per tag.
 */
import type { ManifestInfo, RegistryClient, RepositoryInfo, TagInfo } from '@acrkit/core/registry/registry-client';
import { classifyError, errorMessage } from './error-kind';
import { compileFilter, type FilterState, type NameFilter } from './filter';
import { type ExpandableNode, type ModelNode, nodeIds, type RegistryNodeData, type RepositoryNodeData, type TagNodeData } from './nodes';
import { PagedList } from './paged-list';
import type { RegistryEntry, RegistrySource } from './registry-entry';
import { type ModelSettings } from './settings';
import { NodeStore } from './node-store';
import { clearDetails, enrichRepositories, RepositoryDetails, sortRepositories } from './repositories';
import { ManifestCache } from './manifest-cache';
import { UntaggedManifests } from './untagged-manifests';

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
  private readonly untagged: UntaggedManifests;
  private readonly repositoryDetails = new RepositoryDetails();
  private readonly manifests: ManifestCache;

  constructor(private readonly options: ExplorerModelOptions) {
    this.untagged = new UntaggedManifests({ clientFor: (e) => this.clientFor(e), settings: () => options.settings(), nodes: this.nodes });
    this.manifests = new ManifestCache({ clientFor: (e) => this.clientFor(e), mediaTypeOf: options.mediaTypeOf?.bind(options) });
  }

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
      if (this.sortsByUpdate()) await enrichRepositories(this.clientFor(parent.registry), added, options.signal);
      return;
    }
    if (options.list === 'untagged') await this.untagged.loadMore(parent, options.signal);
    else await this.tagList(parent).loadNext(options);
  }

  /**
   * Loads a repository's details (tag and manifest counts, created, last update) into its node, for the
   * tooltip and description: one `/acr/v1/<name>` request the first time, none after, none on plain
   * registries. Resolves true when the node changed (redraw it). Rejects when the request fails.
   */
  loadRepositoryDetails(node: RepositoryNodeData, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    return this.repositoryDetails.load(this.clientFor(node.parent.registry), node.repository, options.signal);
  }

  /** Drops what is cached for a node (everything for undefined) so its next expansion reloads only it. */
  invalidate(node?: ModelNode): void {
    if (!node) {
      this.roots = undefined;
      this.repositoryLists.clear();
      this.tagLists.clear();
      this.untagged.invalidate();
      this.manifests.clear();
      return;
    }
    if (node.kind === 'registry') this.repositoryLists.delete(node.id);
    if (node.kind === 'repository') {
      this.tagLists.delete(node.id);
      this.untagged.invalidate(node);
      clearDetails(node.repository); // counts and times load again on the next hover
    }
    if (node.kind === 'tag' && node.tag.digest) this.manifests.forget(node.parent, node.tag.digest);
  }

  /** The manifest behind a tag or platform node (cached; one request the first time). */
  async getManifest(repository: RepositoryNodeData, digest: string, options: { signal?: AbortSignal } = {}): Promise<ManifestInfo> {
    return this.manifests.get(repository, digest, options.signal);
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
    this.untagged.remove(repository, digest);
  }

  /** Removes a repository from its registry's loaded list. */
  removeRepository(repository: RepositoryNodeData): void {
    const list = this.repositoryLists.get(repository.parent.id);
    const at = list?.items.findIndex((r) => r.name === repository.repository.name) ?? -1;
    if (list && at >= 0) list.items.splice(at, 1);
    this.tagLists.delete(repository.id);
    this.untagged.invalidate(repository);
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

  /** One catalog page (names only); with the opt-in last-update sort, also one details request per repository. */
  private async repositoryChildren(parent: RegistryNodeData, signal?: AbortSignal): Promise<ModelNode[]> {
    const client = this.clientFor(parent.registry);
    const list = this.repositoryList(parent);
    const sortsByUpdate = this.sortsByUpdate();
    await list.loadFirst({ signal }, sortsByUpdate ? (items) => enrichRepositories(client, items, signal) : undefined);
    parent.backend = client.backend;
    const repositories = sortRepositories(list.items, sortsByUpdate ? 'lastUpdated' : 'name');
    const nodes = this.visible(repositories, this.filter.repositories, (r) => r.name).map((repository) =>
      this.nodes.intern({ kind: 'repository', id: nodeIds.repository(parent, repository.name), parent, repository }));
    return this.withPaging(parent, list, nodes, this.filter.repositories, 'repositories');
  }

  /** Tags (one page request), then, with `showUntagged`, the untagged manifests (one more, in parallel). */
  private async tagChildren(parent: RepositoryNodeData, signal?: AbortSignal): Promise<ModelNode[]> {
    const list = this.tagList(parent);
    // Never rejects (failures become a message leaf), so it may run alongside the tag page unawaited.
    const untagged = this.options.settings().showUntagged ? this.untagged.children(parent, this.filter.tags, signal) : Promise.resolve([]);
    await list.loadFirst({ signal });
    const nodes = this.visible(list.items, this.filter.tags, (t) => t.name).map((tag) =>
      this.nodes.intern({ kind: 'tag', id: nodeIds.tag(parent, tag.name), parent, tag }));
    return [...this.withPaging(parent, list, nodes, this.filter.tags, 'tags'), ...(await untagged)];
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

  /** The opt-in last-update sort, which needs every repository's details up front (one request each). */
  private sortsByUpdate(): boolean {
    return this.options.settings().repositorySort === 'lastUpdated';
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
