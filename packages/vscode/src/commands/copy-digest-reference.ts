/** Copies `host/repo@sha256:…` of a tag or platform manifest: instant when the listing gave the digest. */
import * as vscode from 'vscode';
import { formatDigestReference } from '../model/format';
import { asImage, imageOf, type CommandSpec } from './command-context';

export const copyDigestReferenceCommand: CommandSpec = {
  id: 'acrkit.copyDigestReference',
  async run(ctx, node) {
    const { repository, digest } = await imageOf(ctx, asImage(node));
    const reference = formatDigestReference(repository.parent.registry.loginServer, repository.repository.name, digest);
    await vscode.env.clipboard.writeText(reference);
    ctx.prompts.info(`Copied ${reference}`);
    return reference;
  },
};
