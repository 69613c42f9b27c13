/**
 * The `source` input of `push` and `tag`: where the image comes from.
 * push: `oci-layout:PATH[:TAG]`, `oci-archive:PATH`, `docker-archive:PATH`, `docker:IMAGE`;
 * tag:  `registry/repo:tag` or `registry/repo@sha256:...` (an image already in a registry).
 */
import { parseReference, type Reference } from '@acrkit/core/ref/reference';
import { InputError } from './input-error';

export type ImageSourceSpec =
  | { kind: 'oci-layout'; path: string; tag?: string }
  | { kind: 'oci-archive'; path: string }
  | { kind: 'docker-archive'; path: string }
  | { kind: 'docker'; image: string }
  | { kind: 'registry'; reference: Reference };

const PUSH_KINDS = 'oci-layout:PATH, oci-archive:PATH, docker-archive:PATH or docker:IMAGE';

/** Parses `source` for `command`; throws InputError naming the forms accepted. */
export function parseSource(raw: string, command: 'push' | 'tag', defaultRegistry?: string): ImageSourceSpec {
  const v = raw.trim();
  if (command === 'tag') {
    if (v === '') throw new InputError('source', '', 'an image in a registry: registry/repo:tag or registry/repo@sha256:...');
    try {
      const reference = parseReference(v, defaultRegistry ? { defaultRegistry } : {});
      if (!reference.tag && !reference.digest) throw new Error('no tag or digest');
      return { kind: 'registry', reference };
    } catch (e) {
      throw new InputError('source', v, 'registry/repo:tag or registry/repo@sha256:...', (e as Error).message);
    }
  }
  const colon = v.indexOf(':');
  const kind = colon > 0 ? v.slice(0, colon) : '';
  const rest = colon > 0 ? v.slice(colon + 1) : '';
  if (rest === '') throw new InputError('source', v, PUSH_KINDS);
  switch (kind) {
    case 'oci-layout': {
      // A trailing `:tag` selects one image of a layout with several (skopeo's oci:DIR:TAG form).
      const m = /^(.*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?$/.exec(rest);
      return m?.[2] && m[1] ? { kind, path: m[1], tag: m[2] } : { kind, path: rest };
    }
    case 'oci-archive':
    case 'docker-archive':
      return { kind, path: rest };
    case 'docker':
      return { kind, image: rest };
    default:
      throw new InputError('source', v, PUSH_KINDS);
  }
}
