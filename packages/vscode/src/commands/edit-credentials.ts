/** Replaces the user name and secret of a hand-added registry; only that registry reloads. */
import { registryOf, type ModelNode } from '../model/nodes';
import { type CommandSpec, UserFacingError } from './command-context';

export const editCredentialsCommand: CommandSpec = {
  id: 'acrkit.editCredentials',
  async run(ctx, node, given) {
    const entry = node ? registryOf(node as ModelNode) : undefined;
    if (!entry || entry.source !== 'manual') throw new UserFacingError('Select a registry you added by hand to edit its credentials.');
    const answer = given as { username?: string; password?: string } | undefined;
    const username = answer?.username ?? await ctx.prompts.input({ title: `Credentials for ${entry.loginServer}`, prompt: 'User name', value: entry.username });
    if (!username) return undefined;
    const password = answer?.password ?? await ctx.prompts.input({ title: `Credentials for ${entry.loginServer}`, prompt: `Password or token for ${username}`, password: true });
    if (!password) return undefined;
    await ctx.registries.add({ loginServer: entry.loginServer, auth: 'basic', username, password, backend: entry.backend });
    ctx.clients.clear(entry);
    ctx.tree.refresh();
    return entry.id;
  },
};
