/** Opens the manifest (exact registry bytes, pretty-printed) as a read-only JSON document. */
import type { CommandSpec } from './command-context';
import { openImageDocument } from './open-image-document';

export const inspectManifestCommand: CommandSpec = {
  id: 'acrkit.inspectManifest',
  run: (ctx, node) => openImageDocument(ctx, node, 'manifest'),
};
