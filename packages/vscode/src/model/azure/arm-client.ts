/**
 * The three Azure Resource Manager listings the explorer needs (tenants, subscriptions, registries),
 * over plain fetch with the signed-in session's ARM token. Follows `nextLink` on the same host only.
 * Reference: https://learn.microsoft.com/rest/api/containerregistry/registries/list
 */
import { createUndiciTransport } from '@acrkit/core/http/undici-transport';
import { withRetry } from '@acrkit/core/http/retry';
import type { Transport } from '@acrkit/core/http/transport';
import type { AzureRegistryInfo } from '../registry-entry';

const SUBSCRIPTIONS_API = '2022-12-01';
const REGISTRIES_API = '2023-07-01';
/** Pages followed per listing; a bound so a misbehaving nextLink cannot loop forever. */
const MAX_PAGES = 50;

export interface ArmOptions {
  /** `https://management.azure.com` or a sovereign / Azure Stack endpoint. */
  endpoint: string;
  /** An ARM bearer token for the tenant being listed. */
  token(tenantId: string | undefined, signal?: AbortSignal): Promise<string>;
  /**
   * If undefined, the core's undici transport with retries. (Not the host's global fetch: VS Code replaces
   * it, and the replacement ignores NODE_EXTRA_CA_CERTS, which private CAs and the local rig need.)
   */
  transport?: Transport;
}

/** A non-2xx answer from ARM; `status` drives the tree's error actions. */
export class ArmError extends Error {
  override readonly name = 'ArmError';
  constructor(readonly status: number, readonly code: string | undefined, message: string) {
    super(message);
  }
}

export interface Tenant { tenantId: string; displayName?: string; defaultDomain?: string }
export interface Subscription { subscriptionId: string; displayName: string; tenantId?: string; state?: string }

export class ArmClient {
  private readonly transport: Transport;

  constructor(private readonly options: ArmOptions) {
    this.transport = options.transport ?? withRetry(createUndiciTransport());
  }

  async listTenants(signal?: AbortSignal): Promise<Tenant[]> {
    return this.listAll<Tenant>(`/tenants?api-version=${SUBSCRIPTIONS_API}`, undefined, signal);
  }

  async listSubscriptions(tenantId: string | undefined, signal?: AbortSignal): Promise<Subscription[]> {
    return this.listAll<Subscription>(`/subscriptions?api-version=${SUBSCRIPTIONS_API}`, tenantId, signal);
  }

  async listRegistries(subscription: Subscription, signal?: AbortSignal): Promise<Array<AzureRegistryInfo & { loginServer?: string }>> {
    const path = `/subscriptions/${encodeURIComponent(subscription.subscriptionId)}/providers/Microsoft.ContainerRegistry/registries?api-version=${REGISTRIES_API}`;
    const raw = await this.listAll<RawRegistry>(path, subscription.tenantId, signal);
    return raw.map((r) => ({
      resourceId: r.id,
      name: r.name,
      loginServer: r.properties?.loginServer,
      subscriptionId: subscription.subscriptionId,
      subscriptionName: subscription.displayName,
      tenantId: subscription.tenantId,
      resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(r.id)?.[1] ?? '',
      location: r.location,
      sku: r.sku?.name,
    }));
  }

  private async listAll<T>(path: string, tenantId: string | undefined, signal?: AbortSignal): Promise<T[]> {
    const base = new URL(this.options.endpoint);
    const items: T[] = [];
    let url: string | undefined = new URL(path, base).toString();
    for (let page = 0; url && page < MAX_PAGES; page++) {
      const token = await this.options.token(tenantId, signal);
      const response = await this.transport({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal });
      const body = (await response.json().catch(() => ({}))) as { value?: T[]; nextLink?: string; error?: { code?: string; message?: string } };
      if (!response.ok) {
        const where = new URL(url);
        throw new ArmError(response.status, body.error?.code, `GET ${where.origin}${where.pathname}: ${response.status} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`.trim());
      }
      items.push(...(body.value ?? []));
      url = body.nextLink && new URL(body.nextLink).host === base.host ? body.nextLink : undefined;
    }
    return items;
  }
}

interface RawRegistry {
  id: string;
  name: string;
  location?: string;
  sku?: { name?: string };
  properties?: { loginServer?: string };
}
