/** `command: meta`: tags, labels and annotations only, no registry call (for builds with other tools). */
import { computeMetadata, metadataOutputs } from '../metadata';
import type { CommandFunc } from './command';

export const metaCommand: CommandFunc = async ({ inputs, github, logger, now }) => {
  const meta = computeMetadata(inputs, github, { now });
  for (const w of meta.warnings) logger.warn(w);
  if (meta.refs.length === 0) logger.warn('the tag rules produced no tag for this event');
  await logger.group('Tags', async () => { for (const r of meta.refs) logger.info(r); });
  return {
    outputs: metadataOutputs(meta),
    summary: [{ image: inputs.registry ? `${inputs.registry}/${inputs.image}` : inputs.image, tags: meta.tagNames }],
  };
};
