/**
 * The explorer's nodes as plain data. The tree maps each kind to a TreeItem; ids are stable across
 * refreshes so VS Code keeps expansion and selection, and the model hands out one object per id so a
 * node can be refreshed on its own (`onDidChangeTreeData(node)`).
 */
import type { ManifestInfo, PlatformRef, RepositoryInfo, TagInfo } from '@acrkit/core/registry/registry-client';
import type { ErrorKind } from './error-kind';
import type { RegistryEntry } from './registry-entry';

export interface RegistryNodeData {
  kind: 'registry';
  id: string;
  registry: RegistryEntry;
  /** Which backend answered last ('acr' gives times, sizes and locks); undefined before the first load. */
  backend?: 'acr' | 'distribution';
}

export interface RepositoryNodeData {
  kind: 'repository';
  id: string;
  parent: RegistryNodeData;
  repository: RepositoryInfo;
}

export interface TagNodeData {
  kind: 'tag';
  id: string;
  parent: RepositoryNodeData;
  tag: TagInfo;
}

/** One platform manifest of an index, or the single manifest behind a tag. */
export interface ManifestNodeData {
  kind: 'manifest';
  id: string;
  parent: TagNodeData;
  digest: string;
  platform: Omit<PlatformRef, 'digest'>;
  /** Known once resolved (tooltip) or when the registry listed it with the parent. */
  info?: ManifestInfo;
}

/** A manifest no tag points at (`acrkit.showUntagged`), listed under its repository after the tags. */
export interface UntaggedNodeData {
  kind: 'untagged';
  id: string;
  parent: RepositoryNodeData;
  manifest: ManifestInfo;
}

export interface LoadMoreNodeData {
  kind: 'loadMore';
  id: string;
  parent: RegistryNodeData | RepositoryNodeData;
  /** Which list of the parent grows: its repositories or tags (undefined), or its untagged manifests. */
  list?: 'untagged';
  loaded: number;
  /** How many loaded items the filter hides. */
  hidden: number;
}

/** What an error node offers: sign in (Azure), edit credentials (hand-added), or retry. */
export type ErrorAction = 'signIn' | 'editCredentials' | 'retry';

export interface ErrorNodeData {
  kind: 'error';
  id: string;
  /** The node whose children failed to load; undefined for the root. */
  parent?: ExpandableNode;
  errorKind: ErrorKind;
  message: string;
  action: ErrorAction;
  /** The registry the error belongs to, when there is one (for "Edit credentials"). */
  registry?: RegistryEntry;
}

/** An informational leaf: "No tags", "Loading cancelled", "No tags match the filter". */
export interface MessageNodeData {
  kind: 'message';
  id: string;
  parent?: ExpandableNode;
  message: string;
  /** Clicking retries the parent's load. */
  retry?: boolean;
}

export type ModelNode =
  | RegistryNodeData
  | RepositoryNodeData
  | TagNodeData
  | ManifestNodeData
  | UntaggedNodeData
  | LoadMoreNodeData
  | ErrorNodeData
  | MessageNodeData;

/** Nodes that have children. */
export type ExpandableNode = RegistryNodeData | RepositoryNodeData | TagNodeData;

/** Stable ids, built from the path so that equal things in two registries never collide. */
export const nodeIds = {
  registry: (entry: RegistryEntry) => `reg|${entry.id}`,
  repository: (parent: RegistryNodeData, name: string) => `repo|${parent.registry.id}|${name}`,
  tag: (parent: RepositoryNodeData, tag: string) => `tag|${parent.parent.registry.id}|${parent.repository.name}|${tag}`,
  manifest: (parent: TagNodeData, digest: string) => `${parent.id}|@${digest}`,
  untagged: (parent: RepositoryNodeData, digest: string) => `${parent.id}|untagged|${digest}`,
  loadMore: (parent: ModelNode, list?: 'untagged') => `${parent.id}|more${list ? `|${list}` : ''}`,
  error: (parent: ModelNode | undefined) => `${parent?.id ?? 'root'}|error`,
  message: (parent: ModelNode | undefined, key: string) => `${parent?.id ?? 'root'}|msg|${key}`,
};

/** The registry a node belongs to, if any. */
export function registryOf(node: ModelNode): RegistryEntry | undefined {
  switch (node.kind) {
    case 'registry': return node.registry;
    case 'repository': return node.parent.registry;
    case 'tag': return node.parent.parent.registry;
    case 'manifest': return node.parent.parent.parent.registry;
    case 'untagged': return node.parent.parent.registry;
    case 'loadMore': return registryOf(node.parent);
    case 'error': return node.registry ?? (node.parent && registryOf(node.parent));
    case 'message': return node.parent && registryOf(node.parent);
  }
}

/** The parent of any node; undefined for top-level nodes. */
export function parentOf(node: ModelNode): ModelNode | undefined {
  return node.kind === 'registry' ? undefined : node.parent;
}
