/**
 * Tree item for a repository. ACR's catalog gives names only, so the details (tag count, last update)
 * are in the description only once known: `repositoryTooltip` is filled from resolveTreeItem on hover,
 * which loads them (one request) and redraws this one node (an open one when it is collapsed: see
 * RegistryTreeProvider.resolveRepository). Until then the tooltip is left undefined.
 */
import * as vscode from 'vscode';
import type { RepositoryNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';
import { formatAbsoluteTime, formatRelativeTime } from '../model/relative-time';
import type { NameFilter } from '../model/filter';
import { hasDetails } from '../model/repositories';

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
  if (parts.length) item.description = parts.join(' · ');
  if (hasDetails(repository)) item.tooltip = repositoryTooltip(node);
  return item;
}

/** The repository's tooltip from what is known of it (the name alone before its details load). */
export function repositoryTooltip(node: RepositoryNodeData): vscode.MarkdownString {
  const { repository } = node;
  const tooltip = new vscode.MarkdownString(`**${repository.name}**\n\n`);
  if (repository.tagCount !== undefined) tooltip.appendMarkdown(`Tags: ${repository.tagCount}  \n`);
  if (repository.manifestCount !== undefined) tooltip.appendMarkdown(`Manifests: ${repository.manifestCount}  \n`);
  if (repository.createdTime) tooltip.appendMarkdown(`Created: ${formatAbsoluteTime(repository.createdTime)}  \n`);
  if (repository.lastUpdated) tooltip.appendMarkdown(`Last update: ${formatAbsoluteTime(repository.lastUpdated)}  \n`);
  return tooltip;
}
