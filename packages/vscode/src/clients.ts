/**
 * One core client per registry, kept while the session lives so token caches are reused (expanding a
 * repository then costs one page request, not a token round trip each time). Credentials are looked up
 * on every token fetch, so an edited password or a new Azure session applies at once.
 */
import type { CredentialFunc } from '@acrkit/core/auth/credential';
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { createRegistryClient } from '@acrkit/core/acr/create-registry-client';
import type { Logger } from '@acrkit/core/log';
import type { Transport } from '@acrkit/core/http/transport';
import type { RegistryClient } from '@acrkit/core/registry/registry-client';
import { Repository } from '@acrkit/core/registry/repository';
import type { RegistryEntry } from './model/registry-entry';

/** Returns the credential function for a registry (Entra, Basic from SecretStorage, or anonymous). */
export type CredentialsFor = (entry: RegistryEntry) => CredentialFunc;

interface Cached {
  client: RegistryClient;
  transport: Transport;
}

export class RegistryClients {
  private readonly cache = new Map<string, Cached>();
  /** Registries by id, for URIs that name a registry (manifest documents). */
  private readonly entries = new Map<string, RegistryEntry>();

  constructor(private readonly credentialsFor: CredentialsFor, private readonly logger: Logger, private readonly userAgent: string) {}

  clientFor(entry: RegistryEntry): RegistryClient {
    return this.cached(entry).client;
  }

  /** The distribution data-plane client for one repository (raw manifests, blobs, retagging). */
  repositoryFor(entry: RegistryEntry, repository: string): Repository {
    return new Repository({ transport: this.cached(entry).transport, registry: entry.loginServer, repository, logger: this.logger });
  }

  entry(id: string): RegistryEntry | undefined {
    return this.entries.get(id);
  }

  /** Drops one registry's client (after its credentials changed), or all. */
  clear(entry?: RegistryEntry): void {
    if (entry) this.cache.delete(entry.id);
    else this.cache.clear();
  }

  private cached(entry: RegistryEntry): Cached {
    this.entries.set(entry.id, entry);
    let cached = this.cache.get(entry.id);
    if (!cached) {
      const credentials = this.credentialsFor(entry);
      // One transport (one token cache) for the listing client and the data-plane calls.
      const transport = createRegistryTransport({ credentials, logger: this.logger, userAgent: this.userAgent });
      const client = createRegistryClient({ loginServer: entry.loginServer, credentials, transport, backend: entry.backend ?? 'auto', logger: this.logger });
      cached = { client, transport };
      this.cache.set(entry.id, cached);
    }
    return cached;
  }
}
