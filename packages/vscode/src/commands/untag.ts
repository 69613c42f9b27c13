/** Removes one tag (the manifest stays when other tags or digests use it); the node goes, nothing else reloads. */
import { asTag, type CommandSpec, UserFacingError } from './command-context';
import { explainRefusal } from './refusal';

export const untagCommand: CommandSpec = {
  id: 'acrkit.untag',
  async run(ctx, node) {
    const tag = asTag(node);
    const name = `${tag.parent.repository.name}:${tag.tag.name}`;
    if (tag.tag.attributes?.deleteEnabled === false) {
      throw new UserFacingError(`Tag ${name} is locked against deletion. Unlock it first (Unlock in its context menu).`);
    }
    try {
      await ctx.model.clientFor(tag.parent.parent.registry).deleteTag(tag.parent.repository.name, tag.tag.name);
    } catch (err) {
      throw explainRefusal(err, `untagging ${name}`);
    }
    ctx.model.removeTags(tag.parent, { tag: tag.tag.name });
    ctx.tree.redraw(tag.parent);
    ctx.prompts.info(`Removed tag ${name}`);
    return name;
  },
};
