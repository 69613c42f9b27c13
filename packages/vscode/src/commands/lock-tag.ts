/**
 * Lock and Unlock: ACR's changeable attributes on a tag. Locking sets `writeEnabled` and `deleteEnabled`
 * to false (the tag cannot be moved, overwritten or deleted); unlocking sets both back.
 * Reference: https://learn.microsoft.com/azure/container-registry/container-registry-image-lock
 */
import { asTag, type CommandContext, type CommandSpec } from './command-context';
import { explainRefusal } from './refusal';

async function setLock(ctx: CommandContext, node: unknown, locked: boolean): Promise<boolean> {
  const tag = asTag(node);
  const name = `${tag.parent.repository.name}:${tag.tag.name}`;
  const client = ctx.model.clientFor(tag.parent.parent.registry);
  try {
    const info = await client.setTagAttributes(tag.parent.repository.name, tag.tag.name, { writeEnabled: !locked, deleteEnabled: !locked });
    ctx.model.updateTag(tag, info);
  } catch (err) {
    throw explainRefusal(err, `${locked ? 'locking' : 'unlocking'} ${name}`);
  }
  ctx.tree.redraw(tag);
  ctx.prompts.info(`${locked ? 'Locked' : 'Unlocked'} ${name}`);
  return locked;
}

export const lockCommand: CommandSpec = { id: 'acrkit.lock', run: (ctx, node) => setLock(ctx, node, true) };
export const unlockCommand: CommandSpec = { id: 'acrkit.unlock', run: (ctx, node) => setLock(ctx, node, false) };
