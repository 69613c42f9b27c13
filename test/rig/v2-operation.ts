/**
 * Classifies a /v2 request path (what it addresses, which token scope it needs). Repository names may
 * contain slashes, so the suffixes are matched from the right.
 * Reference: OCI distribution-spec v1.1 endpoints; ../shared/notes/acr-wire.md §1.1 (scopes per operation).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { V2Operation } from './front-plugin';

const PATTERNS: Array<[V2Operation['kind'], RegExp]> = [
  ['tags', /^\/v2\/(.+)\/tags\/list$/],
  ['manifest', /^\/v2\/(.+)\/manifests\/([^/]+)$/],
  ['upload', /^\/v2\/(.+)\/blobs\/uploads\/?([^/]*)$/],
  ['blob', /^\/v2\/(.+)\/blobs\/([^/]+)$/],
  ['referrers', /^\/v2\/(.+)\/referrers\/([^/]+)$/],
];

/** Parses `method` + `pathname` (percent-decoded where the path allows it) into a V2Operation. */
export function parseV2Operation(method: string, pathname: string, headers: IncomingHttpHeaders = {}): V2Operation {
  const op: V2Operation = { method, kind: 'other', headers };
  if (pathname === '/v2/' || pathname === '/v2') return { ...op, kind: 'base' };
  if (pathname === '/v2/_catalog') return { ...op, kind: 'catalog' };
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(pathname);
    if (m) {
      const reference = m[2] ? decodeURIComponent(m[2]) : undefined;
      return { ...op, kind, repository: decodeURIComponent(m[1]!), ...(reference !== undefined ? { reference } : {}) };
    }
  }
  return op;
}

/** The token scope a request needs, as ACR/Distribution would put it in the challenge; undefined for `/v2/`. */
export function scopeOf(op: V2Operation): string | undefined {
  if (op.kind === 'catalog') return 'registry:catalog:*';
  if (op.repository === undefined) return undefined;
  const m = op.method.toUpperCase();
  const actions = m === 'DELETE' ? 'delete' : m === 'GET' || m === 'HEAD' ? 'pull' : 'pull,push';
  return `repository:${op.repository}:${actions}`;
}
