/** `GET /acr/v1/{name}/_manifests` and `GET|PATCH /acr/v1/{name}/_manifests/{digest}`. */
import { manifestJson, sendError, sendJson, sendNameUnknown } from './acr-responses';
import { pageRequestOf, patchAttributes, type HandlerContext } from './handler-context';
import { nextLink, sortForOrder, takePage } from './paging';

export async function listManifests(ctx: HandlerContext, repository: string): Promise<void> {
  const { state, res } = ctx;
  const request = pageRequestOf(ctx);
  if (!request) return;
  if (!(await state.syncRepository(repository))) return sendNameUnknown(res, repository);
  const visible = state.store.manifestsOf(repository).filter((m) => m.attributes.listEnabled);
  const sorted = sortForOrder(visible, request.orderby, (m) => m.digest, (m) => m.updated);
  const page = takePage(sorted, request, (m) => m.digest);
  const headers: Record<string, string> = page.last ? { Link: nextLink(`${repository}/_manifests`, request, page.last) } : {};
  const manifests = page.items.map((m) => manifestJson(m, state.store.tagNamesFor(repository, m.digest)));
  sendJson(res, 200, { registry: state.loginServer, imageName: repository, manifests }, headers);
}

export async function handleManifest(ctx: HandlerContext, repository: string, digest: string): Promise<void> {
  const { state, res } = ctx;
  const manifest = await state.findManifest(repository, digest);
  if (!manifest) {
    if (!state.store.repositories.has(repository)) return sendNameUnknown(res, repository);
    return sendError(res, 404, 'MANIFEST_UNKNOWN', `manifest ${digest} is not found`);
  }
  if (ctx.method === 'PATCH' && !patchAttributes(ctx, manifest.attributes)) return;
  const json = manifestJson(manifest, state.store.tagNamesFor(repository, digest));
  sendJson(res, 200, { registry: state.loginServer, imageName: repository, manifest: json });
}
