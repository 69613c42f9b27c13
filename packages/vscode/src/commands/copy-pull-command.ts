/** Copies `docker pull <reference>` (by tag for a tag, by digest for a platform manifest). */
import * as vscode from 'vscode';
import { formatDigestReference, formatTagReference } from '../model/format';
import { asImage, type CommandSpec } from './command-context';

export const copyPullCommandCommand: CommandSpec = {
  id: 'acrkit.copyPullCommand',
  async run(ctx, node) {
    const image = asImage(node);
    const reference = image.kind === 'tag'
      ? formatTagReference(image.parent.parent.registry.loginServer, image.parent.repository.name, image.tag.name)
      : formatDigestReference(image.parent.parent.parent.registry.loginServer, image.parent.parent.repository.name, image.digest);
    const command = `docker pull ${reference}`;
    await vscode.env.clipboard.writeText(command);
    ctx.prompts.info(`Copied ${command}`);
    return command;
  },
};
