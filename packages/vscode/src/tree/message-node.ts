/** An informational leaf ("No tags", "Loading cancelled"); a cancelled one reloads on click. */
import * as vscode from 'vscode';
import type { MessageNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';

export function messageTreeItem(node: MessageNodeData): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon(node.retry ? 'debug-restart' : 'info');
  if (node.retry && node.parent) item.command = { command: 'acrkit.refresh', title: 'Retry', arguments: [node.parent] };
  return item;
}
