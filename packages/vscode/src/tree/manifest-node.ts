/** Tree item for one platform manifest of an index (or the single manifest behind a tag). */
import * as vscode from 'vscode';
import type { ManifestInfo } from '@acrkit/core/registry/registry-client';
import type { ManifestNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';
import { formatPlatform, shortDigest } from '../model/format';
import { appendManifestLines } from './tag-node';

export function manifestTreeItem(node: ManifestNodeData): vscode.TreeItem {
  const item = new vscode.TreeItem(formatPlatform(node.platform), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon('package');
  item.description = shortDigest(node.digest);
  return item;
}

export function manifestTooltip(node: ManifestNodeData, info: ManifestInfo | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(`**${formatPlatform(node.platform)}**\n\nDigest: \`${node.digest}\`  \n`);
  if (info) appendManifestLines(md, info);
  return md;
}
