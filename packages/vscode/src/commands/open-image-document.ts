/** Opens one part of an image (its manifest or its config blob) as a read-only JSON document. */
import * as vscode from 'vscode';
import { asImage, imageOf, type CommandContext } from './command-context';

export async function openImageDocument(ctx: CommandContext, node: unknown, part: 'manifest' | 'config'): Promise<string> {
  const { repository, digest } = await imageOf(ctx, asImage(node));
  const uri = ctx.documents.uriFor(repository.parent.registry, repository.repository.name, digest, part);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'json');
  await vscode.window.showTextDocument(document, { preview: true });
  return uri.toString();
}
