/**
 * A registry shown at the top of the tree, wherever it came from: the signed-in Azure account (ARM
 * listing) or added by hand (any login server). Plain data; secrets never live here.
 */

/** How the core reaches the registry: Entra ID through VS Code's Microsoft sign-in, Basic, or anonymous. */
export type RegistryAuth = 'entra' | 'basic' | 'anonymous';

/** What ARM says about an Azure registry; undefined for registries added by hand. */
export interface AzureRegistryInfo {
  /** The ARM resource id (`/subscriptions/…/resourceGroups/…/providers/Microsoft.ContainerRegistry/registries/…`). */
  resourceId: string;
  name: string;
  subscriptionId: string;
  subscriptionName?: string;
  tenantId?: string;
  resourceGroup: string;
  location?: string;
  sku?: string;
}

export interface RegistryEntry {
  /** Stable across sessions: `azure:<resource id lower-cased>` or `manual:<login server>`. */
  id: string;
  /** Host with optional port, e.g. `myreg.azurecr.io` or `127.0.0.1:5443`. */
  loginServer: string;
  source: 'azure' | 'manual';
  auth: RegistryAuth;
  /**
   * Which API serves listings: 'acr' (`/acr/v1`: times, sizes, locks, newest first) or 'distribution'.
   * Undefined: decided from the login server (ACR suffixes get 'acr').
   */
  backend?: 'acr' | 'distribution';
  /** Basic user name (not secret); its password is in SecretStorage under `secretKey(entry)`. */
  username?: string;
  azure?: AzureRegistryInfo;
}

/** Lists registries for the root of the tree. Throws for errors the tree should show (sign-in, network). */
export interface RegistrySource {
  /** Shown in error nodes: "Azure", "Added registries". */
  readonly name: string;
  listRegistries(options?: { signal?: AbortSignal }): Promise<RegistryEntry[]>;
}

/** The id of a hand-added registry; one entry per login server. */
export function manualRegistryId(loginServer: string): string {
  return `manual:${loginServer.toLowerCase()}`;
}

/** The SecretStorage key of a hand-added registry's password or token. */
export function secretKey(entry: Pick<RegistryEntry, 'loginServer' | 'username'>): string {
  return `acrkit.registry/${entry.loginServer.toLowerCase()}/${entry.username ?? ''}`;
}

/**
 * Normalises what a user typed as a login server: drops a scheme, a trailing slash and any path.
 * Throws for input that cannot be a host[:port].
 */
export function normalizeLoginServer(input: string): string {
  const trimmed = input.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(trimmed) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(trimmed)) {
    throw new Error(`login server "${input}" is not a host name with an optional port (e.g. myreg.azurecr.io or 127.0.0.1:5000)`);
  }
  return trimmed === 'docker.io' ? 'registry-1.docker.io' : trimmed;
}
