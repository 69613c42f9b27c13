/**
 * The manifests of each repository, loaded a page at a time (`acrkit.showUntagged`), of which the ones
 * no tag points at are shown after the tags. ACR lists every manifest (tagged ones too) in one
 * `/_manifests` page request, so "Load more untagged" scans the next page. The tag filter applies here
 * too, matched against the digest (an untagged manifest has no tag name).
 */
import type { ManifestInfo, RegistryClient } from '@acrkit/core/registry/registry-client';
import { errorMessage } from './error-kind';
import type { NameFilter } from './filter';
import type { NodeStore } from './node-store';
import { type ModelNode, nodeIds, type RepositoryNodeData } from './nodes';
import { PagedList } from './paged-list';
import type { RegistryEntry } from './registry-entry';
import type { ModelSettings } from './settings';

export interface UntaggedManifestsOptions {
  clientFor(entry: RegistryEntry): RegistryClient;
  settings(): ModelSettings;
  nodes: NodeStore;
}

export class UntaggedManifests {
  /** Per repository node id: every manifest loaded so far (tagged ones too). */
  private readonly lists = new Map<string, PagedList<ManifestInfo>>();

  constructor(private readonly options: UntaggedManifestsOptions) {}

  /**
   * The untagged manifests among those loaded that the filter lets through, and "Load more untagged"
   * while the registry has more. A failure (e.g. a registry that cannot list manifests) becomes one
   * message leaf, never a rejection: the tags stay usable.
   */
  async children(parent: RepositoryNodeData, filter: NameFilter | undefined, signal?: AbortSignal): Promise<ModelNode[]> {
    const list = this.list(parent);
    try {
      await list.loadFirst({ signal });
    } catch (err) {
      this.lists.delete(parent.id); // try again on the next expansion
      return [this.options.nodes.intern({ kind: 'message', id: nodeIds.message(parent, 'untagged'), parent, message: `Untagged manifests: ${errorMessage(err)}` })];
    }
    const untagged = list.items.filter((m) => !m.tags?.length);
    const shown = filter ? untagged.filter((m) => filter.test(m.digest)) : untagged;
    const nodes: ModelNode[] = shown.map((manifest) =>
      this.options.nodes.intern({ kind: 'untagged', id: nodeIds.untagged(parent, manifest.digest), parent, manifest }));
    if (list.hasMore) {
      const hidden = untagged.length - shown.length;
      nodes.push(this.options.nodes.intern({ kind: 'loadMore', id: nodeIds.loadMore(parent, 'untagged'), parent, list: 'untagged', loaded: list.items.length, hidden }));
    }
    return nodes;
  }

  /** Loads the next manifest page of a repository. */
  async loadMore(parent: RepositoryNodeData, signal?: AbortSignal): Promise<void> {
    await this.list(parent).loadNext({ signal });
  }

  /** Removes a manifest from a repository's loaded list (deleted, or tagged now). */
  remove(parent: RepositoryNodeData, digest: string): void {
    const list = this.lists.get(parent.id);
    const at = list?.items.findIndex((m) => m.digest === digest) ?? -1;
    if (list && at >= 0) list.items.splice(at, 1);
  }

  /** Drops a repository's loaded manifests (every repository's for undefined). */
  invalidate(parent?: RepositoryNodeData): void {
    if (parent) this.lists.delete(parent.id);
    else this.lists.clear();
  }

  private list(parent: RepositoryNodeData): PagedList<ManifestInfo> {
    let list = this.lists.get(parent.id);
    if (!list) {
      const client = this.options.clientFor(parent.parent.registry);
      const { tagSort: order, pageSize } = this.options.settings();
      list = new PagedList((o) => client.listManifests(parent.repository.name, { ...o, order }), pageSize);
      this.lists.set(parent.id, list);
    }
    return list;
  }
}
