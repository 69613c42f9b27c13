/**
 * Parses `/acr/v1/...` paths. Repository names arrive path-encoded from the JS SDK
 * (`library%2Fhello-world`, `sha256%3A...`) and plain from the Go SDK [rec]; both are accepted.
 * A repository path component cannot start with `_`, so `/_tags` and `/_manifests` are unambiguous.
 */
export type AcrRoute =
  | { kind: 'catalog' }
  | { kind: 'repository'; repository: string }
  | { kind: 'tags'; repository: string }
  | { kind: 'tag'; repository: string; tag: string }
  | { kind: 'manifests'; repository: string }
  | { kind: 'manifest'; repository: string; digest: string }
  /** Not a route ACR serves: answered with the router's plain-text 404. */
  | { kind: 'unmatched' };

const NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const PREFIX = '/acr/v1/';

export function parseAcrRoute(pathname: string): AcrRoute {
  if (!pathname.startsWith(PREFIX)) return { kind: 'unmatched' };
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(PREFIX.length)).replace(/\/$/, '');
  } catch {
    return { kind: 'unmatched' };
  }
  if (rest === '_catalog') return { kind: 'catalog' };
  const match = /^(.+?)(?:\/(_tags|_manifests)(?:\/([^/]+))?)?$/.exec(rest);
  const repository = match?.[1];
  if (!match || !repository || !NAME.test(repository)) return { kind: 'unmatched' };
  const [, , section, reference] = match;
  if (!section) return { kind: 'repository', repository };
  if (section === '_tags') {
    if (reference === undefined) return { kind: 'tags', repository };
    return TAG.test(reference) ? { kind: 'tag', repository, tag: reference } : { kind: 'unmatched' };
  }
  if (reference === undefined) return { kind: 'manifests', repository };
  return DIGEST.test(reference) ? { kind: 'manifest', repository, digest: reference } : { kind: 'unmatched' };
}
