/** `GET /acr/v1/_catalog` and `GET|PATCH|DELETE /acr/v1/{name}`. */
import { DISALLOWED, repositoryJson, sendError, sendJson, sendNameUnknown } from './acr-responses';
import { pageRequestOf, patchAttributes, type HandlerContext } from './handler-context';
import { canDeleteRepository } from './locks';
import { nextLink, sortForOrder, takePage } from './paging';
import { listManifestRevisions, removeRepositoryFiles } from './storage-files';

export async function listCatalog(ctx: HandlerContext): Promise<void> {
  const request = pageRequestOf(ctx);
  if (!request) return;
  const repos = (await ctx.state.syncCatalog()).filter((r) => r.attributes.listEnabled);
  // The catalog is always in name order; ACR echoes an empty `orderby=` in its next link [rec].
  const sorted = sortForOrder(repos, '', (r) => r.name, (r) => r.updated);
  const page = takePage(sorted, { ...request, orderby: '' }, (r) => r.name);
  const headers: Record<string, string> = page.last ? { Link: nextLink('_catalog', { ...request, orderby: '' }, page.last) } : {};
  sendJson(ctx.res, 200, { repositories: page.items.map((r) => r.name) }, headers);
}

export async function handleRepository(ctx: HandlerContext, repository: string): Promise<void> {
  const { state, res } = ctx;
  const repo = await state.syncRepository(repository);
  if (!repo) return sendNameUnknown(res, repository);
  if (ctx.method === 'DELETE') return deleteRepository(ctx, repository);
  if (ctx.method === 'PATCH' && !patchAttributes(ctx, repo.attributes)) return;
  const json = repositoryJson(state.loginServer, repo, state.store.manifestsOf(repository).length, state.store.tagsOf(repository).length);
  sendJson(res, 200, json);
}

/**
 * Deletes every manifest through Distribution's API, then the repository directory (Distribution has
 * no repository delete), answering 202 with what went [rec Go TestClient_DeleteRepository].
 */
async function deleteRepository(ctx: HandlerContext, repository: string): Promise<void> {
  const { state, res } = ctx;
  if (!canDeleteRepository(state.store, repository)) return sendError(res, DISALLOWED.status, DISALLOWED.code, DISALLOWED.message, {});
  const tagsDeleted = state.store.tagsOf(repository).map((t) => t.name).sort();
  const manifestsDeleted = await listManifestRevisions(state.storageDir, repository);
  for (const digest of manifestsDeleted) {
    const answer = await state.distributionFetch(`/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
    await answer.body?.cancel();
    if (answer.status !== 202 && answer.status !== 404) {
      return sendError(res, 500, 'UNKNOWN', `deleting ${digest} from Distribution answered ${answer.status}`);
    }
  }
  await removeRepositoryFiles(state.storageDir, repository);
  state.store.removeRepository(repository);
  sendJson(res, 202, { manifestsDeleted, tagsDeleted });
}
