/** Fetches exactly one more page under the parent of a "Load more" node. */
import type { LoadMoreNodeData } from '../model/nodes';
import { type CommandSpec, UserFacingError } from './command-context';

export const loadMoreCommand: CommandSpec = {
  id: 'acrkit.loadMore',
  async run(ctx, node) {
    const more = node as LoadMoreNodeData | undefined;
    if (more?.kind !== 'loadMore') throw new UserFacingError('Load more needs a "Load more" node.');
    await ctx.tree.loadMore(more.parent, more.list);
    return true;
  },
};
