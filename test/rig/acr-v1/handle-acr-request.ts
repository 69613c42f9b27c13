/**
 * Dispatches `/acr/v1/*` after the front authenticated the caller: checks the ACR scope each route
 * needs (`registry:catalog:*`, `metadata_read`, `metadata_write`, `delete` [rec]) and answers 401 with
 * the front's challenge when it is missing, then hands over to the route's handler.
 */
import type { Caller, RepoAction } from '../front-plugin';
import { sendError, sendPlainNotFound, sendUnauthorized } from './acr-responses';
import { parseAcrRoute, type AcrRoute } from './acr-routes';
import type { HandlerContext } from './handler-context';
import { handleManifest, listManifests } from './manifest-handlers';
import { handleRepository, listCatalog } from './repository-handlers';
import { handleTag, listTags } from './tag-handlers';

const WRITE_METHODS: Record<string, RepoAction> = { PATCH: 'metadata_write', DELETE: 'delete' };

/** Which methods each route kind serves. */
const METHODS: Record<Exclude<AcrRoute['kind'], 'unmatched'>, string[]> = {
  catalog: ['GET'],
  repository: ['GET', 'PATCH', 'DELETE'],
  tags: ['GET'],
  tag: ['GET', 'PATCH', 'DELETE'],
  manifests: ['GET'],
  manifest: ['GET', 'PATCH'],
};

function authorized(ctx: HandlerContext, route: Exclude<AcrRoute, { kind: 'unmatched' | 'catalog' }> | { kind: 'catalog' }, caller: Caller | undefined, challenge: (scope: string) => string): boolean {
  if (route.kind === 'catalog') {
    if (caller?.canCatalog) return true;
    sendUnauthorized(ctx.res, challenge('registry:catalog:*'), { Type: 'registry', Name: 'catalog', Action: '*' }, caller !== undefined);
    return false;
  }
  const action = WRITE_METHODS[ctx.method] ?? 'metadata_read';
  if (caller?.can(route.repository, action)) return true;
  const scope = `repository:${route.repository}:${action}`;
  sendUnauthorized(ctx.res, challenge(scope), { Type: 'repository', Name: route.repository, Action: action }, caller !== undefined);
  return false;
}

export async function handleAcrRequest(ctx: HandlerContext, caller: Caller | undefined, challenge: (scope: string) => string): Promise<void> {
  const route = parseAcrRoute(ctx.url.pathname);
  if (route.kind === 'unmatched') return sendPlainNotFound(ctx.res);
  const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  if (!METHODS[route.kind].includes(method)) {
    return sendError(ctx.res, 405, 'UNSUPPORTED', `${ctx.method} is not supported on this resource`);
  }
  if (!authorized(ctx, route, caller, challenge)) return;
  switch (route.kind) {
    case 'catalog':
      return listCatalog(ctx);
    case 'repository':
      return handleRepository(ctx, route.repository);
    case 'tags':
      return listTags(ctx, route.repository);
    case 'tag':
      return handleTag(ctx, route.repository, route.tag);
    case 'manifests':
      return listManifests(ctx, route.repository);
    case 'manifest':
      return handleManifest(ctx, route.repository, route.digest);
  }
}
