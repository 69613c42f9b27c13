/** Copies `host/repo:tag` of a tag node to the clipboard. */
import * as vscode from 'vscode';
import { formatTagReference } from '../model/format';
import { asTag, type CommandSpec } from './command-context';

export const copyReferenceCommand: CommandSpec = {
  id: 'acrkit.copyReference',
  async run(ctx, node) {
    const tag = asTag(node);
    const reference = formatTagReference(tag.parent.parent.registry.loginServer, tag.parent.repository.name, tag.tag.name);
    await vscode.env.clipboard.writeText(reference);
    ctx.prompts.info(`Copied ${reference}`);
    return reference;
  },
};
