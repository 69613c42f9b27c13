/** Reloads one node (a tag also re-reads its own properties), or the whole tree from the title bar. */
import type { ModelNode } from '../model/nodes';
import type { CommandSpec } from './command-context';

export const refreshCommand: CommandSpec = {
  id: 'acrkit.refresh',
  async run(ctx, node) {
    const target = node as ModelNode | undefined;
    if (target?.kind === 'tag') {
      const info = await ctx.model.clientFor(target.parent.parent.registry).getTag(target.parent.repository.name, target.tag.name);
      ctx.model.updateTag(target, info);
    }
    const expandable = target && ['registry', 'repository', 'tag'].includes(target.kind) ? target : undefined;
    if (!expandable) ctx.clients.clear();
    ctx.tree.refresh(expandable);
    return true;
  },
};
