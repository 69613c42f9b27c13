/** Tree item for a repository: tag count and last update in the description (where ACR tells). */
import * as vscode from 'vscode';
import type { RepositoryNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';
import { formatAbsoluteTime, formatRelativeTime } from '../model/relative-time';
import type { NameFilter } from '../model/filter';

export function repositoryTreeItem(node: RepositoryNodeData, filter: NameFilter | undefined, now: Date): vscode.TreeItem {
  const { repository } = node;
  const label: vscode.TreeItemLabel = { label: repository.name, highlights: filter?.highlights(repository.name) };
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon('repo');
  const parts: string[] = [];
  if (repository.tagCount !== undefined) parts.push(`${repository.tagCount} ${repository.tagCount === 1 ? 'tag' : 'tags'}`);
  if (repository.lastUpdated) parts.push(formatRelativeTime(repository.lastUpdated, now));
  item.description = parts.join(' · ');
  const tooltip = new vscode.MarkdownString(`**${repository.name}**\n\n`);
  if (repository.tagCount !== undefined) tooltip.appendMarkdown(`Tags: ${repository.tagCount}  \n`);
  if (repository.manifestCount !== undefined) tooltip.appendMarkdown(`Manifests: ${repository.manifestCount}  \n`);
  if (repository.createdTime) tooltip.appendMarkdown(`Created: ${formatAbsoluteTime(repository.createdTime)}  \n`);
  if (repository.lastUpdated) tooltip.appendMarkdown(`Last update: ${formatAbsoluteTime(repository.lastUpdated)}  \n`);
  item.tooltip = tooltip;
  return item;
}
