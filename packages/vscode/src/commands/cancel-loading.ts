/** Aborts every load in flight in the view (the requests themselves, through their AbortSignal). */
import type { CommandSpec } from './command-context';

export const cancelLoadingCommand: CommandSpec = {
  id: 'acrkit.cancelLoading',
  async run(ctx) {
    ctx.tree.loads.abortAll();
    return true;
  },
};
