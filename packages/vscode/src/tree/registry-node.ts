/** Tree item for a registry: login server, where it came from, and how it signs in. */
import * as vscode from 'vscode';
import type { RegistryNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';

export function registryTreeItem(node: RegistryNodeData): vscode.TreeItem {
  const { registry } = node;
  const item = new vscode.TreeItem(registry.loginServer, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon(registry.source === 'azure' ? 'azure' : 'server');
  const azure = registry.azure;
  item.description = azure
    ? [azure.sku, azure.location, azure.subscriptionName ?? azure.subscriptionId].filter(Boolean).join(' · ')
    : registry.auth === 'anonymous' ? 'anonymous' : registry.username;
  const tooltip = new vscode.MarkdownString(`**${registry.loginServer}**\n\n`);
  if (azure) {
    tooltip.appendMarkdown(`Azure registry \`${azure.name}\`  \nResource group: ${azure.resourceGroup}  \n`);
    tooltip.appendMarkdown(`Subscription: ${azure.subscriptionName ?? azure.subscriptionId}  \n`);
    if (azure.sku) tooltip.appendMarkdown(`SKU: ${azure.sku}  \n`);
    if (azure.location) tooltip.appendMarkdown(`Location: ${azure.location}  \n`);
  } else {
    tooltip.appendMarkdown(registry.auth === 'anonymous' ? 'Added by hand, anonymous access' : `Added by hand, user \`${registry.username}\``);
  }
  if (node.backend) tooltip.appendMarkdown(`\n\nServed by: ${node.backend === 'acr' ? 'ACR metadata API' : 'Distribution API (names only)'}`);
  item.tooltip = tooltip;
  return item;
}
