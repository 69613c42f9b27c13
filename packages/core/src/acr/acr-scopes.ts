/**
 * The token scope an ACR request needs, known before sending it, so the auth layer fetches a correctly
 * scoped token up front and every page of a listing is one request (no 401 round trip per call).
 * Same table as ACR's challenges [rec]: acr-wire.md §1.1.
 */

/** Repository name of an `/acr/v1/<name>[/_tags|/_manifests...]` or `/v2/<name>/...` path, decoded. */
function repositoryOf(pathname: string): { api: 'acr' | 'v2'; name: string } | undefined {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const acr = /^\/acr\/v1\/(.+?)(?:\/(?:_tags|_manifests)(?:\/.*)?)?\/?$/.exec(path);
  if (acr?.[1]) return { api: 'acr', name: acr[1] };
  const v2 = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\/.*$/.exec(path);
  return v2?.[1] ? { api: 'v2', name: v2[1] } : undefined;
}

/** Scopes for `method url`, or undefined when the path is not one ACR scopes (the auth layer then learns from a 401). */
export function acrScopesFor(method: string, url: string): string[] | undefined {
  const { pathname } = new URL(url);
  if (pathname === '/acr/v1/_catalog' || pathname === '/v2/_catalog') return ['registry:catalog:*'];
  const repo = repositoryOf(pathname);
  if (!repo) return undefined;
  const m = method.toUpperCase();
  let action: string;
  if (m === 'DELETE') action = 'delete';
  else if (repo.api === 'acr') action = m === 'PATCH' ? 'metadata_write' : 'metadata_read';
  else action = m === 'GET' || m === 'HEAD' ? 'pull' : 'pull,push';
  return [`repository:${repo.name}:${action}`];
}
