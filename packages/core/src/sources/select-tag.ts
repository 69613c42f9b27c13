/**
 * Picks one image out of a source by tag, the same way for every reader: exact name first, then a
 * full reference ending in `:<tag>` (containerd and buildkit name entries `docker.io/library/x:1`).
 */
import { ArchiveError } from './archive-error';

/** Manifests, configs and index files from sources are refused above 4 MiB, as registries refuse them (acr-wire.md §3). */
export { MANIFEST_MAX_BYTES as MAX_MANIFEST_SIZE } from '../oci/manifest';

/** One candidate image and the name it is known by (undefined when untagged). */
export interface Named<T> {
  name: string | undefined;
  value: T;
}

/**
 * The value named `tag`, or the only value when `tag` is undefined. Throws `not-found` or
 * `ambiguous` with the available names, so the user sees what to ask for instead.
 */
export function selectByTag<T>(candidates: Named<T>[], tag: string | undefined, label: string): T {
  const names = () => candidates.map((c) => c.name ?? '<untagged>').join(', ') || 'nothing';
  if (tag === undefined) {
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (only) return only.value;
    throw new ArchiveError(candidates.length ? 'ambiguous' : 'not-found', `${label}: holds ${candidates.length} images (${names()}); name a tag`);
  }
  const exact = candidates.filter((c) => c.name === tag);
  const matches = exact.length ? exact : candidates.filter((c) => c.name?.endsWith(`:${tag}`));
  const [first, second] = matches;
  if (first && !second) return first.value;
  if (!first) throw new ArchiveError('not-found', `${label}: no image tagged "${tag}" (has ${names()})`);
  throw new ArchiveError('ambiguous', `${label}: several images match "${tag}" (${names()})`);
}
