/** The explorer settings the model reads (the extension maps `acrkit.*` configuration onto them). */
import type { TagOrder } from '@acrkit/core/registry/registry-client';

export interface ModelSettings {
  /** Items per page; default 50. */
  pageSize: number;
  tagSort: TagOrder;
  /**
   * 'name' (default): catalog order, names only, details on hover. 'lastUpdated': newest-updated first
   * within the loaded pages, which costs one `/acr/v1/<name>` request per repository up front.
   */
  repositorySort: 'lastUpdated' | 'name';
  /** List manifests no tag points at under each repository, after its tags (ACR only). */
  showUntagged: boolean;
}

export const DEFAULT_SETTINGS: ModelSettings = { pageSize: 50, tagSort: 'newest', repositorySort: 'name', showUntagged: false };

/** Clamps user input to what registries accept (Distribution rejects n > 1000 on the catalog). */
export function normalizeSettings(input: Partial<ModelSettings>): ModelSettings {
  const pageSize = Number.isInteger(input.pageSize) ? Math.min(1000, Math.max(1, input.pageSize as number)) : DEFAULT_SETTINGS.pageSize;
  const tagSort = input.tagSort === 'oldest' || input.tagSort === 'registry' ? input.tagSort : 'newest';
  const repositorySort = input.repositorySort === 'lastUpdated' ? 'lastUpdated' : 'name';
  return { pageSize, tagSort, repositorySort, showUntagged: input.showUntagged === true };
}
