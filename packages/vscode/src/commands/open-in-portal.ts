/** Opens an Azure registry (its Repositories blade for a repository or tag) in the Azure portal. */
import * as vscode from 'vscode';
import { registryOf, type ModelNode } from '../model/nodes';
import { cloudEndpoints } from '../auth';
import { type CommandSpec, UserFacingError } from './command-context';

export const openInPortalCommand: CommandSpec = {
  id: 'acrkit.openInPortal',
  async run(_ctx, node) {
    const target = node as ModelNode | undefined;
    const azure = target ? registryOf(target)?.azure : undefined;
    if (!target || !azure) throw new UserFacingError('Open in Azure Portal works on registries listed from your Azure account.');
    const tenant = azure.tenantId ? `@${azure.tenantId}` : '';
    const blade = target.kind === 'registry' ? '' : '/repository';
    const uri = vscode.Uri.parse(`${cloudEndpoints().portal}/#${tenant}/resource${azure.resourceId}${blade}`);
    await vscode.env.openExternal(uri);
    return uri.toString(true);
  },
};
