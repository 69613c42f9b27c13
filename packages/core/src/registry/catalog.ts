/**
 * Repository listing over `/v2/_catalog`. On ACR the richer `/acr/v1/_catalog` (in `acr/`) is
 * preferred; this serves every other registry.
 *
 * Reference: https://github.com/distribution/distribution/blob/v2.8.2/docs/spec/api.md#catalog
 */
import type { Transport } from '../http/transport';
import { checkHost } from '../ref/grammar';
import type { Page } from './registry-client';
import { listPages, withPaging, type ListOptions } from './paged-list';
import { RegistryInputError } from './registry-input-error';

export interface CatalogOptions extends ListOptions {
  transport: Transport;
  /** Registry host with optional port. */
  registry: string;
  /** Plain http (loopback test registries only). If undefined, false. */
  insecure?: boolean;
}

/** Distribution answers 400 PAGINATION_NUMBER_INVALID for `n` over 1000 (acr-wire.md §3.1). */
export const MAX_CATALOG_PAGE_SIZE = 1000;

/** Pages of repository names on the registry; needs the `registry:catalog:*` scope. */
export function listRepositories(options: CatalogOptions): AsyncIterable<Page<string>> {
  const problem = checkHost(options.registry);
  if (problem) throw new RegistryInputError('registry', options.registry, problem);
  const size = options.pageSize;
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > MAX_CATALOG_PAGE_SIZE)) {
    throw new RegistryInputError('option', String(size), `pageSize must be an integer from 1 to ${MAX_CATALOG_PAGE_SIZE} (Distribution rejects more)`);
  }
  const origin = `${options.insecure ? 'http' : 'https'}://${options.registry}`;
  const first = withPaging(`${origin}/v2/_catalog`, options);
  return listPages(options, first, 'repositories', ['registry:catalog:*'], options);
}
