/** Opens the image config blob (created time, env, entrypoint, history) as a read-only JSON document. */
import * as vscode from 'vscode';
import { asImage, imageOf, type CommandSpec } from './command-context';

export const inspectConfigCommand: CommandSpec = {
  id: 'acrkit.inspectConfig',
  async run(ctx, node) {
    const { repository, digest } = await imageOf(ctx, asImage(node));
    const uri = ctx.documents.uriFor(repository.parent.registry, repository.repository.name, digest, 'config');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    return uri.toString();
  },
};
