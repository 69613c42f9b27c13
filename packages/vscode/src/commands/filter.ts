/**
 * Filters repositories or tags by substring or glob. From a registry node it filters repositories, from a
 * repository node tags; from the title bar it asks which. Tests pass `{ target, pattern }`.
 */
import type { ModelNode } from '../model/nodes';
import type { CommandContext, CommandSpec } from './command-context';

type Target = 'repositories' | 'tags';

export const filterCommand: CommandSpec = {
  id: 'acrkit.filter',
  async run(ctx, arg) {
    const given = arg as { target?: Target; pattern?: string } | undefined;
    const node = arg as ModelNode | undefined;
    const target: Target | undefined = given?.target
      ?? (node?.kind === 'registry' ? 'repositories' : node?.kind === 'repository' ? 'tags' : await askTarget(ctx));
    if (!target) return undefined;
    const pattern = given?.pattern ?? await ctx.prompts.input({
      title: `Filter ${target}`,
      prompt: 'A substring, or a glob with * and ? (e.g. v1.* or *-rc?). Empty clears.',
      value: ctx.model.filter[target]?.pattern ?? '',
    });
    if (pattern === undefined) return undefined;
    ctx.model.setFilter(target, pattern);
    ctx.updateFilterState();
    // Filtering works on what is loaded: redraw, do not reload.
    ctx.tree.redraw();
    return ctx.model.filter[target]?.pattern ?? '';
  },
};

export const clearFilterCommand: CommandSpec = {
  id: 'acrkit.clearFilter',
  async run(ctx) {
    ctx.model.clearFilter();
    ctx.updateFilterState();
    ctx.tree.redraw();
    return true;
  },
};

async function askTarget(ctx: CommandContext): Promise<Target | undefined> {
  const picked = await ctx.prompts.pickOne(
    [
      { label: 'Repositories', description: ctx.model.filter.repositories?.pattern, target: 'repositories' as const },
      { label: 'Tags', description: ctx.model.filter.tags?.pattern, target: 'tags' as const },
    ],
    { title: 'Filter which names?' },
  );
  return picked?.target;
}
