/**
 * Repository ordering and the details ACR's catalog leaves out (tag and manifest counts, created and
 * last update). `/acr/v1/_catalog` lists names only [acr-wire §2], so each repository's details cost one
 * `/acr/v1/<name>` request (with its own repository-scoped token): asked for one repository at a time,
 * when it is hovered, or for a whole page only when the user sorts by last update.
 */
import type { RegistryClient, RepositoryInfo } from '@acrkit/core/registry/registry-client';

/** Repository detail requests in flight at once while a page is enriched. */
const ENRICH_CONCURRENCY = 6;

const DETAIL_KEYS = ['tagCount', 'manifestCount', 'createdTime', 'lastUpdated', 'attributes'] as const;

/** Whether a repository's details are in (ACR gives at least the counts). */
export function hasDetails(info: RepositoryInfo): boolean {
  return DETAIL_KEYS.some((key) => info[key] !== undefined);
}

/** Forgets a repository's details, in place, so that the next need loads them again (a refresh). */
export function clearDetails(info: RepositoryInfo): void {
  for (const key of DETAIL_KEYS) delete info[key];
}

/**
 * Loads one repository's details into `info`, in place: one `/acr/v1/<name>` request on ACR, none on
 * plain registries (they have no such data) or when they are in. Concurrent calls for the same entry
 * share the request. Resolves true when `info` changed.
 */
export class RepositoryDetails {
  private readonly pending = new WeakMap<RepositoryInfo, Promise<void>>();

  async load(client: RegistryClient, info: RepositoryInfo, signal?: AbortSignal): Promise<boolean> {
    if (client.backend !== 'acr' || hasDetails(info)) return false;
    let pending = this.pending.get(info);
    if (!pending) {
      pending = fetchDetails(client, info, signal);
      this.pending.set(info, pending);
      // A failure or cancellation is not cached: the next hover asks again.
      void pending.catch(() => undefined).finally(() => this.pending.delete(info));
    }
    await pending;
    return true;
  }
}

/**
 * Fills the details of a whole freshly loaded page, in place (for the last-update sort, which needs every
 * time): one `/acr/v1/<name>` request per repository, bounded concurrency; plain registries cost nothing.
 * A failure leaves that repository name-only rather than failing the page.
 */
export async function enrichRepositories(client: RegistryClient, items: RepositoryInfo[], signal?: AbortSignal): Promise<void> {
  if (client.backend !== 'acr') return;
  const todo = items.filter((r) => !hasDetails(r));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      signal?.throwIfAborted();
      const item = todo[next++]!;
      try {
        await fetchDetails(client, item, signal);
      } catch (err) {
        if (signal?.aborted) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ENRICH_CONCURRENCY, todo.length) }, worker));
}

/** One `/acr/v1/<name>` request; its details go into `info`, which keeps its name. */
async function fetchDetails(client: RegistryClient, info: RepositoryInfo, signal?: AbortSignal): Promise<void> {
  Object.assign(info, await client.getRepository(info.name, { signal }), { name: info.name });
}

/** By name, or (opt-in, see `enrichRepositories`) newest-updated first where known, unknown ones after by name. */
export function sortRepositories(items: RepositoryInfo[], order: 'lastUpdated' | 'name'): RepositoryInfo[] {
  const byName = (a: RepositoryInfo, b: RepositoryInfo) => a.name.localeCompare(b.name);
  if (order === 'name') return [...items].sort(byName);
  return [...items].sort((a, b) => {
    const ta = a.lastUpdated?.getTime() ?? -Infinity;
    const tb = b.lastUpdated?.getTime() ?? -Infinity;
    return ta === tb ? byName(a, b) : tb - ta;
  });
}
