/** Opens the manifest (exact registry bytes, pretty-printed) as a read-only JSON document. */
import * as vscode from 'vscode';
import { asImage, imageOf, type CommandSpec } from './command-context';

export const inspectManifestCommand: CommandSpec = {
  id: 'acrkit.inspectManifest',
  async run(ctx, node) {
    const { repository, digest } = await imageOf(ctx, asImage(node));
    const uri = ctx.documents.uriFor(repository.parent.registry, repository.repository.name, digest, 'manifest');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
    return uri.toString();
  },
};
