/**
 * Maps model nodes to TreeItems and back. Loads run with progress drawn in the view and an AbortSignal
 * per node (refresh, collapse and "Cancel loading" abort them); tooltips of repositories, tags and
 * platforms resolve lazily on hover (a repository's details then redraw that node's description); a
 * refresh fires the one node it concerns.
 */
import * as vscode from 'vscode';
import type { ExplorerModel } from '../model/explorer-model';
import type { LoadTracker } from '../model/load-tracker';
import { type ModelNode, parentOf } from '../model/nodes';
import { errorTreeItem } from './error-node';
import { loadMoreTreeItem } from './load-more-node';
import { manifestTooltip, manifestTreeItem } from './manifest-node';
import { messageTreeItem } from './message-node';
import { registryTreeItem } from './registry-node';
import { repositoryTooltip, repositoryTreeItem } from './repository-node';
import { tagTooltip, tagTreeItem } from './tag-node';
import { untaggedTreeItem } from './untagged-node';

export class RegistryTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Repositories expanded in the view, and those whose details arrived while expanded (redrawn on collapse). */
  private readonly expandedRepositories = new Set<string>();
  private readonly deferredRedraws = new Set<string>();

  constructor(
    readonly model: ExplorerModel,
    readonly loads: LoadTracker,
    private readonly viewId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  getTreeItem(node: ModelNode): vscode.TreeItem {
    const now = this.now();
    switch (node.kind) {
      case 'registry': return registryTreeItem(node);
      case 'repository': return repositoryTreeItem(node, this.model.filter.repositories, now);
      case 'tag': return tagTreeItem(node, this.model.filter.tags, now);
      case 'manifest': return manifestTreeItem(node);
      case 'untagged': return untaggedTreeItem(node, this.model.filter.tags, now);
      case 'loadMore': return loadMoreTreeItem(node);
      case 'error': return errorTreeItem(node);
      case 'message': return messageTreeItem(node);
    }
  }

  getChildren(node?: ModelNode): Promise<ModelNode[]> {
    return this.withViewProgress(node, (signal) => this.model.getChildren(node, { signal }));
  }

  getParent(node: ModelNode): ModelNode | undefined {
    return parentOf(node);
  }

  async resolveTreeItem(item: vscode.TreeItem, node: ModelNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind === 'repository') return this.resolveRepository(item, node, token);
    if (node.kind !== 'tag' && node.kind !== 'manifest') return item;
    const signal = abortSignalOf(token);
    try {
      if (node.kind === 'tag') {
        const digest = await this.model.digestOf(node, { signal });
        item.tooltip = tagTooltip(node, await this.model.getManifest(node.parent, digest, { signal }));
      } else {
        node.info ??= await this.model.getManifest(node.parent.parent, node.digest, { signal });
        item.tooltip = manifestTooltip(node, node.info);
      }
    } catch {
      // A failed hover keeps the short tooltip; the tree node itself is fine.
      item.tooltip = node.kind === 'tag' ? tagTooltip(node, undefined) : manifestTooltip(node, undefined);
    }
    return item;
  }

  /**
   * The repository's details on hover: one request the first time, then its description is redrawn. An
   * expanded repository is redrawn only when it collapses: VS Code drops the children of a node it redraws,
   * and a tag expanding under it at that moment stayed open and empty (seen in the UI smoke test).
   */
  private async resolveRepository(item: vscode.TreeItem, node: Extract<ModelNode, { kind: 'repository' }>, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    try {
      if (await this.model.loadRepositoryDetails(node, { signal: abortSignalOf(token) })) {
        if (this.expandedRepositories.has(node.id)) this.deferredRedraws.add(node.id);
        // Redraw after this hover is answered, so the tooltip shows before the description changes.
        else setTimeout(() => this.changed.fire(node), 0);
      }
    } catch {
      // A failed hover keeps the name-only tooltip; the next hover asks again.
    }
    item.tooltip = repositoryTooltip(node);
    return item;
  }

  /** Drops a node's cached children and redraws only it (the whole tree for undefined). */
  refresh(node?: ModelNode): void {
    if (node) {
      this.loads.abort(node.id);
      this.deferredRedraws.delete(node.id);
    } else {
      this.loads.abortAll();
      this.deferredRedraws.clear();
    }
    this.model.invalidate(node);
    this.changed.fire(node);
  }

  /** Redraws a node from the model's current data, without reloading. */
  redraw(node?: ModelNode): void {
    this.changed.fire(node);
  }

  /** Loads one more page under a "Load more" node's parent, then redraws that parent. */
  async loadMore(parent: Extract<ModelNode, { kind: 'registry' | 'repository' }>, list?: 'untagged'): Promise<void> {
    await this.withViewProgress(parent, (signal) => this.model.loadMore(parent, { signal, list }));
    this.changed.fire(parent);
  }

  /** Remembers an expanded repository (its details then wait for the collapse to be drawn). */
  expanded(node: ModelNode): void {
    if (node.kind === 'repository') this.expandedRepositories.add(node.id);
  }

  /** Aborts what is loading under a collapsed node; redraws it if its details came while it was open. */
  collapsed(node: ModelNode): void {
    this.loads.abort(node.id);
    this.expandedRepositories.delete(node.id);
    if (this.deferredRedraws.delete(node.id)) this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private withViewProgress<T>(node: ModelNode | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const key = node?.id ?? 'root';
    return Promise.resolve(vscode.window.withProgress({ location: { viewId: this.viewId } }, () => this.loads.run(key, fn)));
  }
}

/** An AbortSignal that follows a CancellationToken. */
export function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort(new DOMException('Cancelled', 'AbortError')));
  return controller.signal;
}
