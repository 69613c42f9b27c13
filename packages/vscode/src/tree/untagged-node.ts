/**
 * Tree item for a manifest no tag points at (`acrkit.showUntagged`): the short digest as label,
 * "untagged" (and its push time) as description. Its details come with the listing, so the tooltip
 * needs no request. The tag filter matches its digest; the matching part of the label is highlighted.
 */
import * as vscode from 'vscode';
import type { UntaggedNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';
import { shortDigest } from '../model/format';
import { formatAbsoluteTime, formatRelativeTime } from '../model/relative-time';
import type { NameFilter } from '../model/filter';
import { appendManifestLines } from './tag-node';

export function untaggedTreeItem(node: UntaggedNodeData, filter: NameFilter | undefined, now: Date): vscode.TreeItem {
  const { manifest } = node;
  const short = shortDigest(manifest.digest);
  const item = new vscode.TreeItem({ label: short, highlights: filter?.highlights(short) }, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon('circle-outline');
  const pushed = manifest.lastUpdated ?? manifest.createdTime;
  item.description = pushed ? `untagged, ${formatRelativeTime(pushed, now)}` : 'untagged';
  item.tooltip = untaggedTooltip(node);
  return item;
}

export function untaggedTooltip(node: UntaggedNodeData): vscode.MarkdownString {
  const { manifest } = node;
  const md = new vscode.MarkdownString(`**${node.parent.repository.name}@${shortDigest(manifest.digest)}** (untagged)\n\n`);
  md.appendMarkdown(`Digest: \`${manifest.digest}\`  \n`);
  appendManifestLines(md, manifest);
  if (manifest.createdTime) md.appendMarkdown(`Created: ${formatAbsoluteTime(manifest.createdTime)}  \n`);
  if (manifest.lastUpdated) md.appendMarkdown(`Updated: ${formatAbsoluteTime(manifest.lastUpdated)}  \n`);
  return md;
}
