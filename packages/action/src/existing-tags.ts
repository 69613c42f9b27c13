/** The tags already in a repository (for `latest`): an unknown repository has none. */
import { RegistryError } from '@acrkit/core/http/registry-error';
import type { Repository } from '@acrkit/core/registry/repository';

/** Collects every tag of `repository` (bounded by the core's page limit). */
export async function existingTags(repository: Repository, signal: AbortSignal): Promise<string[]> {
  const tags: string[] = [];
  try {
    for await (const page of repository.listTags({ signal })) tags.push(...page.items);
  } catch (err) {
    if (RegistryError.is(err) && err.status === 404) return [];
    throw err;
  }
  return tags;
}
