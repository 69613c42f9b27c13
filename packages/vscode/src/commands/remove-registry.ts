/** Forgets a hand-added registry and deletes its stored secret. */
import { registryOf } from '../model/nodes';
import type { ModelNode } from '../model/nodes';
import { type CommandSpec, UserFacingError } from './command-context';

export const removeRegistryCommand: CommandSpec = {
  id: 'acrkit.removeRegistry',
  async run(ctx, node) {
    const entry = node ? registryOf(node as ModelNode) : undefined;
    if (!entry || entry.source !== 'manual') throw new UserFacingError('Select a registry you added by hand; Azure registries follow your subscriptions.');
    await ctx.registries.remove(entry);
    ctx.clients.clear(entry);
    ctx.tree.refresh();
    ctx.prompts.info(`Removed ${entry.loginServer}`);
    return entry.id;
  },
};
