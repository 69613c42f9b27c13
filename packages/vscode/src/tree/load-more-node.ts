/** The "Load more" leaf under a paged list; clicking fetches exactly one more page. */
import * as vscode from 'vscode';
import type { LoadMoreNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';

export function loadMoreTreeItem(node: LoadMoreNodeData): vscode.TreeItem {
  const untagged = node.list === 'untagged';
  const item = new vscode.TreeItem(untagged ? 'Load more untagged…' : 'Load more…', vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.description = untagged ? `${node.loaded} manifests scanned` : node.hidden ? `${node.loaded} loaded, ${node.hidden} hidden by the filter` : `${node.loaded} loaded`;
  item.command = { command: 'acrkit.loadMore', title: 'Load More', arguments: [node] };
  return item;
}
