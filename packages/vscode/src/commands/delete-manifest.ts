/** Deletes a manifest by digest after a modal confirmation that names every tag that goes with it. */
import { asImage, imageOf, type CommandSpec, UserFacingError } from './command-context';
import { explainRefusal } from './refusal';

export const deleteManifestCommand: CommandSpec = {
  id: 'acrkit.deleteManifest',
  async run(ctx, node) {
    const image = asImage(node);
    const { repository, digest } = await imageOf(ctx, image);
    const client = ctx.model.clientFor(repository.parent.registry);
    const info = await client.getManifest(repository.repository.name, digest);
    if (info.attributes?.deleteEnabled === false) {
      throw new UserFacingError(`Manifest ${digest} is locked against deletion. Unlock it first.`);
    }
    const tags = info.tags ?? (image.kind === 'tag' ? [image.tag.name] : []);
    const what = tags.length ? `and ${tags.length} tag(s)` : '(untagged)';
    const detail = [
      `Repository: ${repository.repository.name}`,
      `Digest: ${digest}`,
      tags.length ? `Tags deleted with it: ${tags.join(', ')}` : 'No tags point at it.',
      'This cannot be undone.',
    ].join('\n');
    if (!(await ctx.prompts.confirm(`Delete manifest ${digest.slice(0, 19)}… ${what}?`, detail, 'Delete'))) return undefined;
    try {
      await client.deleteManifest(repository.repository.name, digest);
    } catch (err) {
      throw explainRefusal(err, `deleting manifest ${digest}`);
    }
    ctx.model.removeTags(repository, { digest });
    ctx.tree.redraw(repository);
    ctx.prompts.info(`Deleted ${repository.repository.name}@${digest}`);
    return digest;
  },
};
