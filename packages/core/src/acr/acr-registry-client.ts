/**
 * The RegistryClient for Azure Container Registry, over ACR's `/acr/v1` metadata API through
 * `@azure/container-registry`: repositories, tags newest first with times, manifest sizes and platforms,
 * locks (changeable attributes), deletes.
 *
 * Every SDK request goes through our auth-aware Transport (see transport-http-client.ts), so the admin
 * user, repository-scoped tokens, Entra identities and anonymous pull all share this one code path.
 * Reference: https://learn.microsoft.com/rest/api/containerregistry/ (2021-07-01); acr-wire.md §2, §5.
 */
import { ContainerRegistryClient, type ContainerRegistryClientOptions } from '@azure/container-registry';
import type { Transport, TransportRequest } from '../http/transport';
import { silentLogger, type Logger } from '../log';
import type {
  ChangeableAttributes, ManifestInfo, Page, PageOptions, RegistryClient, RepositoryInfo, TagInfo, TagOrder,
} from '../registry/registry-client';
import { toManifestInfo, toRegistryError, toRepositoryInfo, toTagInfo, toWritable } from './acr-mappers';
import { MediaTypeCollector } from './acr-media-types';
import { createTransportHttpClient } from './transport-http-client';

export interface AcrRegistryClientOptions {
  /** Login server with optional port: `myreg.azurecr.io`, `127.0.0.1:5443`. Always reached over https. */
  loginServer: string;
  /** An auth-aware transport, normally `createRegistryTransport({ credentials })`. */
  transport: Transport;
  /** If undefined, silent. */
  logger?: Logger;
  /** Sees every request sent (for tests and request accounting). */
  onRequest?: (request: TransportRequest) => void;
}

type Signal = { signal?: AbortSignal };

/** `getArtifact` needs a tag or digest even where the call ignores it (tag listing is per repository). */
const UNUSED_REFERENCE = 'latest';

const SDK_ORDER: Record<TagOrder, 'LastUpdatedOnDescending' | 'LastUpdatedOnAscending' | undefined> = {
  newest: 'LastUpdatedOnDescending',
  oldest: 'LastUpdatedOnAscending',
  registry: undefined,
};

/** Page cursors are ACR's relative next links; anything else (another host, another API) is refused. */
function checkCursor(cursor: string | undefined): string | undefined {
  if (cursor !== undefined && !cursor.startsWith('/acr/v1/')) {
    throw new Error(`invalid page cursor "${cursor}": expected the "next" value of a previous page (an /acr/v1/ link)`);
  }
  return cursor;
}

export class AcrRegistryClient implements RegistryClient {
  readonly backend = 'acr' as const;
  readonly loginServer: string;
  private readonly sdk: ContainerRegistryClient;
  private readonly logger: Logger;

  constructor(options: AcrRegistryClientOptions) {
    this.loginServer = options.loginServer;
    this.logger = options.logger ?? silentLogger;
    const sdkOptions: ContainerRegistryClientOptions = {
      httpClient: createTransportHttpClient(options.transport, { onRequest: options.onRequest }),
      // Our transport retries (bounded, Retry-After aware); a second retry layer would multiply attempts.
      retryOptions: { maxRetries: 0 },
    };
    this.sdk = new ContainerRegistryClient(`https://${options.loginServer}`, sdkOptions);
  }

  async listRepositories(options: PageOptions = {}): Promise<Page<RepositoryInfo>> {
    const pages = this.sdk
      .listRepositoryNames({ abortSignal: options.signal })
      .byPage({ maxPageSize: options.pageSize, continuationToken: checkCursor(options.cursor) });
    const page = await this.call('listing repositories', () => pages.next());
    const names = page.done ? [] : page.value;
    return { items: names.map((name) => ({ name })), next: page.done ? undefined : page.value.continuationToken };
  }

  getRepository(repository: string, options: Signal = {}): Promise<RepositoryInfo> {
    return this.call(`getting ${this.loginServer}/${repository}`, async () =>
      toRepositoryInfo(await this.sdk.getRepository(repository).getProperties({ abortSignal: options.signal })),
    );
  }

  /** One `GET /acr/v1/<repo>/_tags?orderby=timedesc&n=<pageSize>` per page (newest first by default). */
  async listTags(repository: string, options: PageOptions & { order?: TagOrder } = {}): Promise<Page<TagInfo>> {
    const order = SDK_ORDER[options.order ?? 'newest'];
    const pages = this.sdk
      .getArtifact(repository, UNUSED_REFERENCE)
      .listTagProperties({ order, abortSignal: options.signal })
      .byPage({ maxPageSize: options.pageSize, continuationToken: checkCursor(options.cursor) });
    const page = await this.call(`listing tags of ${this.loginServer}/${repository}`, () => pages.next());
    if (page.done) return { items: [] };
    return { items: page.value.map(toTagInfo), next: (page.value as { continuationToken?: string }).continuationToken };
  }

  getTag(repository: string, tag: string, options: Signal = {}): Promise<TagInfo> {
    return this.call(`getting ${this.loginServer}/${repository}:${tag}`, async () =>
      toTagInfo(await this.sdk.getArtifact(repository, tag).getTagProperties(tag, { abortSignal: options.signal })),
    );
  }

  /** One `GET /acr/v1/<repo>/_manifests?orderby=timedesc&n=<pageSize>` per page (newest first by default). */
  async listManifests(repository: string, options: PageOptions & { order?: TagOrder } = {}): Promise<Page<ManifestInfo>> {
    const raw = new MediaTypeCollector();
    const pages = this.sdk
      .getRepository(repository)
      .listManifestProperties({ order: SDK_ORDER[options.order ?? 'newest'], abortSignal: options.signal, onResponse: raw.onResponse })
      .byPage({ maxPageSize: options.pageSize, continuationToken: checkCursor(options.cursor) });
    const page = await this.call(`listing manifests of ${this.loginServer}/${repository}`, () => pages.next());
    if (page.done) return { items: [] };
    const items = page.value.map((m) => toManifestInfo(m, raw.get(m.digest)));
    return { items, next: (page.value as { continuationToken?: string }).continuationToken };
  }

  getManifest(repository: string, digest: string, options: Signal = {}): Promise<ManifestInfo> {
    return this.call(`getting ${this.loginServer}/${repository}@${digest}`, async () => {
      const raw = new MediaTypeCollector();
      const properties = await this.sdk.getArtifact(repository, digest).getManifestProperties({ abortSignal: options.signal, onResponse: raw.onResponse });
      return toManifestInfo(properties, raw.get(properties.digest));
    });
  }

  setTagAttributes(repository: string, tag: string, attributes: ChangeableAttributes, options: Signal = {}): Promise<TagInfo> {
    return this.call(`updating ${this.loginServer}/${repository}:${tag}`, async () => {
      const updated = await this.sdk.getArtifact(repository, tag).updateTagProperties(tag, { ...toWritable(attributes), abortSignal: options.signal });
      this.logger.debug(`acr: set attributes of ${repository}:${tag} to ${JSON.stringify(attributes)}`);
      return toTagInfo(updated);
    });
  }

  setManifestAttributes(repository: string, digest: string, attributes: ChangeableAttributes, options: Signal = {}): Promise<ManifestInfo> {
    return this.call(`updating ${this.loginServer}/${repository}@${digest}`, async () => {
      const artifact = this.sdk.getArtifact(repository, digest);
      const raw = new MediaTypeCollector();
      const updated = await artifact.updateManifestProperties({ ...toWritable(attributes), abortSignal: options.signal, onResponse: raw.onResponse });
      return toManifestInfo(updated, raw.get(updated.digest));
    });
  }

  deleteTag(repository: string, tag: string, options: Signal = {}): Promise<void> {
    return this.call(`deleting ${this.loginServer}/${repository}:${tag}`, () =>
      this.sdk.getArtifact(repository, tag).deleteTag(tag, { abortSignal: options.signal }),
    );
  }

  deleteManifest(repository: string, digest: string, options: Signal = {}): Promise<void> {
    return this.call(`deleting ${this.loginServer}/${repository}@${digest}`, () =>
      this.sdk.getArtifact(repository, digest).delete({ abortSignal: options.signal }),
    );
  }

  deleteRepository(repository: string, options: Signal = {}): Promise<void> {
    return this.call(`deleting ${this.loginServer}/${repository}`, () => this.sdk.deleteRepository(repository, { abortSignal: options.signal }));
  }

  private async call<T>(context: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toRegistryError(err, context);
    }
  }
}
