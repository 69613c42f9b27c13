/** Deletes a whole repository after a modal confirmation naming it and how many tags and manifests go. */
import { asRepository, type CommandSpec } from './command-context';
import { explainRefusal } from './refusal';

export const deleteRepositoryCommand: CommandSpec = {
  id: 'acrkit.deleteRepository',
  async run(ctx, node) {
    const repository = asRepository(node);
    const name = repository.repository.name;
    const client = ctx.model.clientFor(repository.parent.registry);
    const info = await client.getRepository(name).catch(() => repository.repository);
    const counts = [
      info.tagCount !== undefined ? `${info.tagCount} tag(s)` : undefined,
      info.manifestCount !== undefined ? `${info.manifestCount} manifest(s)` : undefined,
    ].filter(Boolean).join(' and ');
    const detail = `${repository.parent.registry.loginServer}/${name}\n${counts ? `Deletes ${counts}. ` : 'Deletes every tag and manifest in it. '}This cannot be undone.`;
    if (!(await ctx.prompts.confirm(`Delete repository ${name}?`, detail, 'Delete Repository'))) return undefined;
    try {
      await client.deleteRepository(name);
    } catch (err) {
      throw explainRefusal(err, `deleting repository ${name}`);
    }
    ctx.model.removeRepository(repository);
    ctx.tree.redraw(repository.parent);
    ctx.prompts.info(`Deleted repository ${name}`);
    return name;
  },
};
