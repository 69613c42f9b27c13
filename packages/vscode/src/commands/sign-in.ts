/**
 * Signs in to Azure: VS Code's Microsoft account (or the sovereign-cloud account), or for the Custom cloud
 * a service principal whose secret is asked once. Afterwards the Azure registries reload.
 */
import { cloudEndpoints } from '../auth';
import type { CommandSpec } from './command-context';

export const signInCommand: CommandSpec = {
  id: 'acrkit.signIn',
  async run(ctx, _node, givenSecret) {
    let secret = typeof givenSecret === 'string' ? givenSecret : undefined;
    if (cloudEndpoints().name === 'Custom' && !secret) {
      secret = await ctx.prompts.input({ title: 'Sign in (Custom cloud)', prompt: 'Client secret of the service principal in acrkit.azure.clientId', password: true });
      if (!secret) return undefined;
    }
    await ctx.azure.signIn(secret);
    ctx.clients.clear();
    ctx.tree.refresh();
    return true;
  },
};
