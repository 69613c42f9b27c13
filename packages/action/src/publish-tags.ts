/**
 * The last phase of push and tag: put the manifest (already complete in the repository, by digest) under
 * every computed tag. Cancellation is checked once before the phase and not inside it: a handful of
 * manifest PUTs take milliseconds, and stopping halfway would leave some tags moved and others not.
 */
import type { Logger } from '@acrkit/core/log';
import type { PushResult } from '@acrkit/core/registry/push-image';
import type { Repository } from '@acrkit/core/registry/repository';
import { tagImage } from '@acrkit/core/registry/tag-image';

/** Tags `digest` in `repository` with `tags`; throws the signal's reason if already cancelled. */
export async function publishTags(repository: Repository, digest: string, tags: string[], options: { signal: AbortSignal; logger: Logger }): Promise<PushResult> {
  options.signal.throwIfAborted();
  return tagImage(repository, digest, tags, { onTagged: (tag) => options.logger.info(`tagged ${repository.describe(tag)}`) });
}
