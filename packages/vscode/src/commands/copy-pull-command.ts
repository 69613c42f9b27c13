/** Copies `docker pull <reference>` (by tag for a tag, by digest for a platform manifest). */
import * as vscode from 'vscode';
import { formatDigestReference, formatTagReference } from '../model/format';
import { asImage, imageOf, type CommandSpec } from './command-context';

export const copyPullCommandCommand: CommandSpec = {
  id: 'acrkit.copyPullCommand',
  async run(ctx, node) {
    const image = asImage(node);
    const { repository, digest } = image.kind === 'tag' ? { repository: image.parent, digest: '' } : await imageOf(ctx, image);
    const loginServer = repository.parent.registry.loginServer;
    const reference = image.kind === 'tag'
      ? formatTagReference(loginServer, repository.repository.name, image.tag.name)
      : formatDigestReference(loginServer, repository.repository.name, digest);
    const command = `docker pull ${reference}`;
    await vscode.env.clipboard.writeText(command);
    ctx.prompts.info(`Copied ${command}`);
    return command;
  },
};
