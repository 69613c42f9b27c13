/**
 * One interface for browsing and managing a registry, whoever serves it. The ACR backend answers from
 * `/acr/v1` (times, sizes, locks, newest-first order); the distribution backend from `/v2` (names only).
 * The extension and the Action use only this interface; `createRegistryClient` picks the backend.
 */

/** One page of results plus the cursor to pass for the next one (undefined on the last page). */
export interface Page<T> {
  items: T[];
  next?: string;
}

export interface PageOptions {
  /** Items per page; the backend's default when undefined. */
  pageSize?: number;
  /** The `next` cursor of the previous page; the first page when undefined. */
  cursor?: string;
  signal?: AbortSignal;
}

export interface ChangeableAttributes {
  writeEnabled?: boolean;
  deleteEnabled?: boolean;
  listEnabled?: boolean;
  readEnabled?: boolean;
}

export interface RepositoryInfo {
  name: string;
  tagCount?: number;
  manifestCount?: number;
  createdTime?: Date;
  lastUpdated?: Date;
  attributes?: ChangeableAttributes;
}

export interface TagInfo {
  name: string;
  /** Undefined where the registry does not say without one more request (plain distribution). */
  digest?: string;
  createdTime?: Date;
  lastUpdated?: Date;
  attributes?: ChangeableAttributes;
}

export interface PlatformRef {
  digest: string;
  architecture?: string;
  os?: string;
  variant?: string;
}

export interface ManifestInfo {
  digest: string;
  mediaType?: string;
  size?: number;
  architecture?: string;
  os?: string;
  createdTime?: Date;
  lastUpdated?: Date;
  tags?: string[];
  /** Platform manifests of an index or manifest list. */
  references?: PlatformRef[];
  attributes?: ChangeableAttributes;
}

export type TagOrder = 'newest' | 'oldest' | 'registry';

export interface RegistryClient {
  /** The host (with port) that this client talks to, e.g. `myreg.azurecr.io`. */
  readonly loginServer: string;
  /** Which backend answers: ACR metadata or the plain distribution API. */
  readonly backend: 'acr' | 'distribution';
  listRepositories(options?: PageOptions): Promise<Page<RepositoryInfo>>;
  getRepository(repository: string, options?: { signal?: AbortSignal }): Promise<RepositoryInfo>;
  /** Tags of one repository. `order` defaults to 'newest' where the backend can sort, else registry order. */
  listTags(repository: string, options?: PageOptions & { order?: TagOrder }): Promise<Page<TagInfo>>;
  getTag(repository: string, tag: string, options?: { signal?: AbortSignal }): Promise<TagInfo>;
  /**
   * Every manifest of one repository, tagged or not (`tags` empty or undefined for untagged ones), newest
   * first by default. ACR: one `/acr/v1/<repo>/_manifests` request per page. The distribution API has no
   * manifest listing: that backend throws an UnsupportedOperationError.
   */
  listManifests(repository: string, options?: PageOptions & { order?: TagOrder }): Promise<Page<ManifestInfo>>;
  getManifest(repository: string, digest: string, options?: { signal?: AbortSignal }): Promise<ManifestInfo>;
  setTagAttributes(repository: string, tag: string, attributes: ChangeableAttributes, options?: { signal?: AbortSignal }): Promise<TagInfo>;
  setManifestAttributes(repository: string, digest: string, attributes: ChangeableAttributes, options?: { signal?: AbortSignal }): Promise<ManifestInfo>;
  deleteTag(repository: string, tag: string, options?: { signal?: AbortSignal }): Promise<void>;
  deleteManifest(repository: string, digest: string, options?: { signal?: AbortSignal }): Promise<void>;
  deleteRepository(repository: string, options?: { signal?: AbortSignal }): Promise<void>;
}
