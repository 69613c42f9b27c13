/**
 * Tag listing over the distribution API: names only, in the registry's order (lexical on
 * Distribution). ACR's newest-first listing with times lives in `acr/`.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#listing-tags
 */
import type { Page } from './registry-client';
import type { Endpoint } from './endpoint';
import { listPages, withPaging, type ListOptions } from './paged-list';

/**
 * Pages of tag names of the endpoint's repository. Distribution 2.8 ignores `n` here and returns all
 * tags in one page (acr-wire.md §3.1), so callers must not assume the page size is honoured.
 */
export function listTags(endpoint: Endpoint, options: ListOptions = {}): AsyncIterable<Page<string>> {
  const first = withPaging(`${endpoint.base}/tags/list`, options);
  return listPages(endpoint, first, 'tags', endpoint.scopes.pull, options);
}
