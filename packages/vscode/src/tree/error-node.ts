/** A load that failed, as a leaf whose click does the fix: sign in again, edit credentials, or retry. */
import * as vscode from 'vscode';
import type { ErrorNodeData } from '../model/nodes';
import { contextValueOf } from '../model/context-value';

const ACTIONS = {
  signIn: { command: 'acrkit.signIn', title: 'Sign in again' },
  editCredentials: { command: 'acrkit.editCredentials', title: 'Edit credentials' },
  retry: { command: 'acrkit.refresh', title: 'Retry' },
} as const;

const HINTS: Record<ErrorNodeData['errorKind'], string> = {
  auth: 'The registry did not accept the credentials.',
  forbidden: 'Access denied: missing permission, or a firewall or private endpoint blocks this machine.',
  notFound: 'Not found: it may have been deleted.',
  network: 'The registry could not be reached (network, DNS, proxy or certificate).',
  cancelled: 'Loading was cancelled.',
  other: 'The request failed.',
};

export function errorTreeItem(node: ErrorNodeData): vscode.TreeItem {
  const action = ACTIONS[node.action];
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.contextValue = contextValueOf(node);
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  item.description = `${action.title}…`;
  item.tooltip = new vscode.MarkdownString(`${HINTS[node.errorKind]}\n\n${node.message}\n\nClick to ${action.title.toLowerCase()}.`);
  // Retry refreshes the node that failed (its parent; the root when none); the others act on the registry.
  const args = node.action === 'retry' ? (node.parent ? [node.parent] : []) : [node];
  item.command = { ...action, arguments: args };
  return item;
}
