/**
 * The RegistryClient for registries that only speak the distribution API (`/v2/_catalog`,
 * `/v2/<name>/tags/list`, manifests): names only, no times, tags in the registry's (lexical) order.
 * What the API cannot do (delete a tag or a repository, locks) fails with an UnsupportedOperationError.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md
 */
import type { Transport } from '../http/transport';
import { listRepositories as listCatalog } from './catalog';
import { createEndpoint, type Endpoint } from './endpoint';
import { deleteManifest, fetchManifest, resolveManifest } from './manifests';
import type { Page } from './registry-client';
import type {
  ChangeableAttributes, ManifestInfo, PageOptions, RegistryClient, RepositoryInfo, TagInfo, TagOrder,
} from './registry-client';
import { listTags as listTagNames } from './tags-list';

/** An operation the registry's API has no way to do. */
export class UnsupportedOperationError extends Error {
  override readonly name = 'UnsupportedOperationError';
  constructor(readonly operation: string, readonly registry: string, reason: string) {
    super(`${operation} is not supported on ${registry}: ${reason}`);
  }

  static is(err: unknown): err is UnsupportedOperationError {
    return err instanceof UnsupportedOperationError;
  }
}

export interface DistributionRegistryClientOptions {
  /** Registry host with optional port. */
  loginServer: string;
  /** Usually `createRegistryTransport({ credentials })`. */
  transport: Transport;
  /** Plain http (loopback test registries only). If undefined, false. */
  insecure?: boolean;
}

type Signal = { signal?: AbortSignal };

interface ManifestJson {
  mediaType?: string;
  config?: { size?: number };
  layers?: Array<{ size?: number }>;
  manifests?: Array<{ digest: string; platform?: { architecture?: string; os?: string; variant?: string } }>;
}

async function firstPage<T>(pages: AsyncIterable<Page<T>>): Promise<Page<T>> {
  for await (const page of pages) return page;
  return { items: [] };
}

export class DistributionRegistryClient implements RegistryClient {
  readonly backend = 'distribution' as const;
  readonly loginServer: string;

  constructor(private readonly options: DistributionRegistryClientOptions) {
    this.loginServer = options.loginServer;
  }

  async listRepositories(options: PageOptions = {}): Promise<Page<RepositoryInfo>> {
    const page = await firstPage(listCatalog({ ...this.base(), pageSize: options.pageSize, last: options.cursor, maxPages: 1, signal: options.signal }));
    return { items: page.items.map((name) => ({ name })), next: page.next };
  }

  /** The distribution API has no repository properties: this checks the repository exists (404 NAME_UNKNOWN otherwise). */
  async getRepository(repository: string, options: Signal = {}): Promise<RepositoryInfo> {
    await firstPage(listTagNames(this.endpoint(repository), { maxPages: 1, signal: options.signal }));
    return { name: repository };
  }

  /**
   * Tags in the registry's order (`order` other than 'registry' is not available here). Distribution
   * 2.8 ignores `n` and `last` on tags/list and returns its directory order [acr-wire §3.1, obs], so the
   * page is also cut here: after the cursor's position when the registry repeated it, at `pageSize`.
   */
  async listTags(repository: string, options: PageOptions & { order?: TagOrder } = {}): Promise<Page<TagInfo>> {
    const cursor = options.cursor;
    const page = await firstPage(listTagNames(this.endpoint(repository), { pageSize: options.pageSize, last: cursor, maxPages: 1, signal: options.signal }));
    const at = cursor === undefined ? -1 : page.items.indexOf(cursor);
    const after = page.items.slice(at + 1);
    const items = after.slice(0, options.pageSize ?? after.length);
    const next = after.length > items.length ? items.at(-1) : page.next;
    return { items: items.map((name) => ({ name })), ...(next !== undefined && { next }) };
  }

  async getTag(repository: string, tag: string, options: Signal = {}): Promise<TagInfo> {
    const descriptor = await resolveManifest(this.endpoint(repository), tag, options);
    return { name: tag, digest: descriptor.digest };
  }

  /** The distribution API lists tags, not manifests: untagged manifests cannot be found through it. */
  listManifests(repository: string, _options?: PageOptions & { order?: TagOrder }): Promise<Page<ManifestInfo>> {
    return this.unsupported(`listing the manifests of "${repository}"`, 'the distribution API lists tags only, so untagged manifests cannot be found');
  }

  /** Digest, media type, size (config + layers, or none for an index) and platforms of an index; no times. */
  async getManifest(repository: string, digest: string, options: Signal = {}): Promise<ManifestInfo> {
    const fetched = await fetchManifest(this.endpoint(repository), digest, options);
    const json = JSON.parse(new TextDecoder().decode(fetched.bytes)) as ManifestJson;
    const info: ManifestInfo = { digest: fetched.descriptor.digest, mediaType: fetched.descriptor.mediaType };
    if (Array.isArray(json.manifests)) {
      info.references = json.manifests.map((m) => ({ digest: m.digest, architecture: m.platform?.architecture, os: m.platform?.os, variant: m.platform?.variant }));
    } else {
      info.size = (json.config?.size ?? 0) + (json.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0);
    }
    return info;
  }

  setTagAttributes(_repository: string, _tag: string, _attributes: ChangeableAttributes): Promise<TagInfo> {
    return this.unsupported('changing tag attributes (locks)', 'locks are an ACR feature');
  }

  setManifestAttributes(_repository: string, _digest: string, _attributes: ChangeableAttributes): Promise<ManifestInfo> {
    return this.unsupported('changing manifest attributes (locks)', 'locks are an ACR feature');
  }

  deleteTag(_repository: string, tag: string): Promise<void> {
    return this.unsupported(`deleting tag "${tag}"`, 'the distribution API deletes manifests by digest only; delete the manifest instead');
  }

  deleteManifest(repository: string, digest: string, options: Signal = {}): Promise<void> {
    return deleteManifest(this.endpoint(repository), digest, options);
  }

  deleteRepository(repository: string): Promise<void> {
    return this.unsupported(`deleting repository "${repository}"`, 'the distribution API has no repository delete; delete its manifests instead');
  }

  private base() {
    return { transport: this.options.transport, registry: this.loginServer, insecure: this.options.insecure };
  }

  private endpoint(repository: string): Endpoint {
    return createEndpoint({ ...this.base(), repository });
  }

  private unsupported<T>(operation: string, reason: string): Promise<T> {
    return Promise.reject(new UnsupportedOperationError(operation, this.loginServer, reason));
  }
}
