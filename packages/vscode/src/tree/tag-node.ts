/**
 * Tree item for a tag: relative push time in the description; the tooltip (digest, size, media type,
 * platforms, times, locks) is filled lazily by `tagTooltip` from resolveTreeItem, on hover only.
 */
import * as vscode from 'vscode';
import type { ManifestInfo } from '@acrkit/core/registry/registry-client';
import type { TagNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';
import { formatAbsoluteTime, formatRelativeTime } from '../model/relative-time';
import { formatBytes, formatPlatform, isLocked, shortDigest } from '../model/format';
import type { NameFilter } from '../model/filter';

export function tagTreeItem(node: TagNodeData, filter: NameFilter | undefined, now: Date): vscode.TreeItem {
  const { tag } = node;
  const label: vscode.TreeItemLabel = { label: tag.name, highlights: filter?.highlights(tag.name) };
  // Collapsed: expanding shows the platforms (an index) or the one manifest behind the tag.
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon(isLocked(tag.attributes) ? 'lock' : 'tag');
  const pushed = tag.lastUpdated ?? tag.createdTime;
  item.description = pushed ? formatRelativeTime(pushed, now) : tag.digest ? shortDigest(tag.digest) : undefined;
  return item;
}

/** The tag's tooltip from its manifest's details. */
export function tagTooltip(node: TagNodeData, manifest: ManifestInfo | undefined): vscode.MarkdownString {
  const { tag } = node;
  const md = new vscode.MarkdownString(`**${node.parent.repository.name}:${tag.name}**\n\n`);
  const digest = manifest?.digest ?? tag.digest;
  if (digest) md.appendMarkdown(`Digest: \`${digest}\`  \n`);
  if (manifest) appendManifestLines(md, manifest);
  if (tag.createdTime) md.appendMarkdown(`Created: ${formatAbsoluteTime(tag.createdTime)}  \n`);
  if (tag.lastUpdated) md.appendMarkdown(`Updated: ${formatAbsoluteTime(tag.lastUpdated)}  \n`);
  if (tag.attributes) md.appendMarkdown(`${lockLine(tag.attributes)}  \n`);
  return md;
}

/** Size, media type and platforms of a manifest, one per line. */
export function appendManifestLines(md: vscode.MarkdownString, manifest: ManifestInfo): void {
  if (manifest.mediaType) md.appendMarkdown(`Media type: \`${manifest.mediaType}\`  \n`);
  if (manifest.size !== undefined) md.appendMarkdown(`Size: ${formatBytes(manifest.size)}  \n`);
  const platforms = manifest.references?.length ? manifest.references : manifest.os || manifest.architecture ? [manifest] : [];
  if (platforms.length) md.appendMarkdown(`Platforms: ${platforms.map(formatPlatform).join(', ')}  \n`);
}

function lockLine(a: { writeEnabled?: boolean; deleteEnabled?: boolean }): string {
  if (!isLocked(a)) return 'Lock: none (can be overwritten and deleted)';
  const what = [a.writeEnabled === false ? 'overwrite' : '', a.deleteEnabled === false ? 'delete' : ''].filter(Boolean).join(' and ');
  return `$(lock) Locked against ${what}`;
}
