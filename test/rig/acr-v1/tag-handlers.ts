/** `GET /acr/v1/{name}/_tags` and `GET|PATCH|DELETE /acr/v1/{name}/_tags/{tag}`. */
import { DISALLOWED, sendError, sendJson, sendNameUnknown, sendTagUnknown, tagJson } from './acr-responses';
import { fetchManifest } from './distribution-reader';
import { pageRequestOf, patchAttributes, type HandlerContext } from './handler-context';
import { canDeleteTag } from './locks';
import type { TagRecord } from './metadata-store';
import { nextLink, sortForOrder, takePage } from './paging';
import { removeTagFiles } from './storage-files';

export async function listTags(ctx: HandlerContext, repository: string): Promise<void> {
  const { state, res } = ctx;
  const request = pageRequestOf(ctx);
  if (!request) return;
  if (!(await state.syncRepository(repository))) return sendNameUnknown(res, repository);
  const digest = ctx.url.searchParams.get('digest');
  const visible = state.store.tagsOf(repository).filter((t) => t.attributes.listEnabled && (!digest || t.digest === digest));
  const sorted = sortForOrder(visible, request.orderby, (t) => t.name, (t) => t.updated);
  const page = takePage(sorted, request, (t) => t.name);
  const headers: Record<string, string> = {};
  if (page.last) {
    const link = nextLink(`${repository}/_tags`, request, page.last);
    headers.Link = digest ? link.replace('>;', `&digest=${encodeURIComponent(digest)}>;`) : link;
  }
  sendJson(res, 200, { registry: state.loginServer, imageName: repository, tags: page.items.map(tagJson) }, headers);
}

async function findTag(ctx: HandlerContext, repository: string, tag: string): Promise<TagRecord | undefined> {
  const known = ctx.state.store.getTag(repository, tag);
  if (known) return known;
  if (!(await ctx.state.syncRepository(repository))) {
    sendNameUnknown(ctx.res, repository);
    return undefined;
  }
  const found = ctx.state.store.getTag(repository, tag);
  if (!found) sendTagUnknown(ctx.res);
  return found;
}

export async function handleTag(ctx: HandlerContext, repository: string, tagName: string): Promise<void> {
  const { state, res } = ctx;
  const tag = await findTag(ctx, repository, tagName);
  if (!tag) return;
  if (ctx.method === 'DELETE') return deleteTag(ctx, tag);
  if (ctx.method === 'PATCH' && !patchAttributes(ctx, tag.attributes)) return;
  sendJson(res, 200, { registry: state.loginServer, imageName: repository, tag: tagJson(tag) });
}

/**
 * Distribution cannot delete a tag, so its link directory is removed on disk; Distribution must then
 * answer 404 for it, which is checked before reporting success. ACR answers 202 with an empty body and
 * the digest the tag pointed at [rec recording_deletes_a_given_tag].
 */
async function deleteTag(ctx: HandlerContext, tag: TagRecord): Promise<void> {
  const { state, res } = ctx;
  if (!canDeleteTag(state.store, tag.repository, tag.name)) {
    return sendError(res, DISALLOWED.status, DISALLOWED.code, DISALLOWED.message, {});
  }
  await removeTagFiles(state.storageDir, tag.repository, tag.name);
  if (await fetchManifest(state.distributionFetch, tag.repository, tag.name)) {
    return sendError(res, 500, 'UNKNOWN', `Distribution still serves tag "${tag.name}" after its link was removed`);
  }
  state.store.removeTag(tag.repository, tag.name);
  res.writeHead(202, { 'Content-Length': '0', 'X-Ms-Int-Docker-Content-Digest': tag.digest, 'Docker-Distribution-Api-Version': 'registry/2.0' });
  res.end();
}
