/**
 * Finds a container registry's ARM resource (subscription, resource group) from its name or login
 * server, so users need not type what Azure already knows. Lists the registries of the given
 * subscription, or of every subscription the credential sees.
 *
 * Reference: https://learn.microsoft.com/rest/api/containerregistry/registries/list (api-version 2019-05-01)
 * and https://learn.microsoft.com/rest/api/resources/subscriptions/list (2020-01-01).
 */
import type { ArmClient } from './arm-client';

/** A registry's coordinates in ARM. */
export interface RegistryResource {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  loginServer?: string;
  /** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}` */
  id: string;
}

export interface FindRegistryOptions {
  /** Registry resource name (`myreg`) or login server (`myreg.azurecr.io`). */
  registry: string;
  /** Search only this subscription. If undefined, every subscription the credential can list. */
  subscriptionId?: string;
  /** Known resource group: skips the search when the subscription is known too. */
  resourceGroup?: string;
  signal?: AbortSignal;
}

/** The registry could not be found with the credential's access. */
export class RegistryNotFoundError extends Error {
  override name = 'RegistryNotFoundError';
  readonly code = 'REGISTRY_NOT_FOUND' as const;
  static is(err: unknown): err is RegistryNotFoundError {
    return err instanceof RegistryNotFoundError;
  }
}

interface Listing<T> {
  value?: T[];
  nextLink?: string;
}

interface RegistryJson {
  id?: string;
  name?: string;
  properties?: { loginServer?: string };
}

const REGISTRIES_API_VERSION = '2019-05-01';
const SUBSCRIPTIONS_API_VERSION = '2020-01-01';
/** Bound on followed nextLinks, so a looping server cannot keep us forever. */
const MAX_PAGES = 100;

/** Returns the registry's ARM resource; throws RegistryNotFoundError when no visible subscription holds it. */
export async function findRegistryResource(arm: ArmClient, options: FindRegistryOptions): Promise<RegistryResource> {
  const wanted = options.registry.toLowerCase();
  const name = wanted.split('.')[0]!;
  if (options.subscriptionId && options.resourceGroup) {
    return { subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup, name, id: registryId(options.subscriptionId, options.resourceGroup, name) };
  }
  const subscriptions = options.subscriptionId ? [options.subscriptionId] : await listSubscriptions(arm, options.signal);
  for (const subscriptionId of subscriptions) {
    const path = `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.ContainerRegistry/registries`;
    for await (const registry of listAll<RegistryJson>(arm, path, REGISTRIES_API_VERSION, options.signal)) {
      const login = registry.properties?.loginServer?.toLowerCase();
      if (registry.name?.toLowerCase() !== wanted && login !== wanted) continue;
      const match = /\/resourceGroups\/([^/]+)\//i.exec(registry.id ?? '');
      if (!match) continue;
      if (options.resourceGroup && match[1]!.toLowerCase() !== options.resourceGroup.toLowerCase()) continue;
      return { subscriptionId, resourceGroup: match[1]!, name: registry.name!, loginServer: registry.properties?.loginServer, id: registry.id! };
    }
  }
  throw new RegistryNotFoundError(
    `registry ${JSON.stringify(options.registry)} was not found in ${options.subscriptionId ? `subscription ${options.subscriptionId}` : `any of ${subscriptions.length} visible subscription(s)`} (give subscription-id and resource-group, or grant the identity Reader on the registry)`,
  );
}

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}` */
export function registryId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/Microsoft.ContainerRegistry/registries/${encodeURIComponent(name)}`;
}

async function listSubscriptions(arm: ArmClient, signal?: AbortSignal): Promise<string[]> {
  const ids: string[] = [];
  for await (const sub of listAll<{ subscriptionId?: string }>(arm, '/subscriptions', SUBSCRIPTIONS_API_VERSION, signal)) {
    if (sub.subscriptionId) ids.push(sub.subscriptionId);
  }
  return ids;
}

async function* listAll<T>(arm: ArmClient, path: string, apiVersion: string, signal?: AbortSignal): AsyncGenerator<T> {
  let next: string | undefined = path;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const listing: Listing<T> = await arm.send<Listing<T>>({ method: 'GET', path: next, apiVersion, signal });
    yield* listing.value ?? [];
    // nextLink is followed only on the ARM endpoint itself (it carries a skip token, not a host choice).
    next = listing.nextLink && new URL(listing.nextLink).origin === new URL(arm.endpoint).origin ? listing.nextLink : undefined;
  }
}
