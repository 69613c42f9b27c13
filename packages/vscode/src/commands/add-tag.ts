/**
 * Tags an existing digest remotely: GET the manifest bytes by digest, PUT them under the new tag. No layer
 * moves. The new tag appears first in the repository (it is the newest) without reloading the list.
 */
import { isValidTag } from '@acrkit/core/ref/tag';
import { asImage, imageOf, type CommandSpec } from './command-context';
import { explainRefusal } from './refusal';

export const addTagCommand: CommandSpec = {
  id: 'acrkit.addTag',
  async run(ctx, node, givenTag) {
    const image = asImage(node);
    const { repository, digest } = await imageOf(ctx, image);
    const newTag = typeof givenTag === 'string' ? givenTag : await ctx.prompts.input({
      title: `Add a tag to ${repository.repository.name}@${digest.slice(0, 19)}…`,
      prompt: 'New tag (letters, digits, _ . -; at most 128 characters). An existing tag of that name moves here.',
      validateInput: (v) => (isValidTag(v) ? undefined : 'Tags match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'),
    });
    if (!newTag) return undefined;
    if (!isValidTag(newTag)) throw new Error(`tag "${newTag}" is not valid: expected [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
    const registry = repository.parent.registry;
    const target = ctx.clients.repositoryFor(registry, repository.repository.name);
    try {
      const manifest = await target.fetchManifest(digest);
      await target.pushManifest(newTag, manifest.bytes, manifest.descriptor.mediaType);
    } catch (err) {
      throw explainRefusal(err, `tagging ${repository.repository.name}@${digest} as ${newTag}`);
    }
    const info = await ctx.model.clientFor(registry).getTag(repository.repository.name, newTag);
    ctx.model.insertTag(repository, { ...info, digest: info.digest ?? digest });
    ctx.tree.redraw(repository);
    ctx.prompts.info(`Tagged ${repository.repository.name}:${newTag}`);
    return newTag;
  },
};
