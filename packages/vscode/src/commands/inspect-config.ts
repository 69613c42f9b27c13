/** Opens the image config blob (created time, env, entrypoint, history) as a read-only JSON document. */
import type { CommandSpec } from './command-context';
import { openImageDocument } from './open-image-document';

export const inspectConfigCommand: CommandSpec = {
  id: 'acrkit.inspectConfig',
  run: (ctx, node) => openImageDocument(ctx, node, 'config'),
};
