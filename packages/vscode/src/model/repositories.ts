/** Repository ordering and the details ACR's catalog leaves out (tag count, last update). */
import type { RegistryClient, RepositoryInfo } from '@acrkit/core/registry/registry-client';

/** Repository detail requests in flight at once while a page is enriched. */
const ENRICH_CONCURRENCY = 6;

/**
 * Fills `tagCount` and `lastUpdated` for a freshly loaded page, in place. ACR's catalog lists names only,
 * so each repository costs one `/acr/v1/<name>` request (bounded concurrency); plain registries have
 * no such data and cost nothing. A failure leaves that repository name-only rather than failing the page.
 */
export async function enrichRepositories(client: RegistryClient, items: RepositoryInfo[], signal?: AbortSignal): Promise<void> {
  if (client.backend !== 'acr') return;
  const todo = items.filter((r) => r.lastUpdated === undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      signal?.throwIfAborted();
      const item = todo[next++]!;
      try {
        Object.assign(item, await client.getRepository(item.name, { signal }), { name: item.name });
      } catch (err) {
        if (signal?.aborted) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ENRICH_CONCURRENCY, todo.length) }, worker));
}

/** Newest-updated first where times are known (unknown ones after, by name), or by name. */
export function sortRepositories(items: RepositoryInfo[], order: 'lastUpdated' | 'name'): RepositoryInfo[] {
  const byName = (a: RepositoryInfo, b: RepositoryInfo) => a.name.localeCompare(b.name);
  if (order === 'name') return [...items].sort(byName);
  return [...items].sort((a, b) => {
    const ta = a.lastUpdated?.getTime() ?? -Infinity;
    const tb = b.lastUpdated?.getTime() ?? -Infinity;
    return ta === tb ? byName(a, b) : tb - ta;
  });
}
