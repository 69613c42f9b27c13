/**
 * The signed-in account's registries: ARM listing across the chosen subscriptions (all when none are
 * chosen). Silent when nobody is signed in (the welcome view shows instead of an error).
 */
import type { AzureRegistryInfo, RegistryEntry, RegistrySource } from '../registry-entry';
import type { ArmClient, Subscription } from './arm-client';

export interface AzureSourceOptions {
  /** The ARM client, or undefined when nobody is signed in. */
  arm(): Promise<ArmClient | undefined>;
  tenantId(): string | undefined;
  /** Chosen subscription ids; empty means all. */
  subscriptions(): string[];
}

export class AzureRegistrySource implements RegistrySource {
  readonly name = 'Azure';

  constructor(private readonly options: AzureSourceOptions) {}

  async listRegistries(options: { signal?: AbortSignal } = {}): Promise<RegistryEntry[]> {
    const arm = await this.options.arm();
    if (!arm) return [];
    const chosen = new Set(this.options.subscriptions().map((s) => s.toLowerCase()));
    const subscriptions = (await arm.listSubscriptions(this.options.tenantId(), options.signal))
      .filter((s: Subscription) => chosen.size === 0 || chosen.has(s.subscriptionId.toLowerCase()));
    const lists = await Promise.all(subscriptions.map((s) => arm.listRegistries(s, options.signal)));
    return lists.flat().filter((r) => r.loginServer).map(toEntry);
  }
}

function toEntry(info: AzureRegistryInfo & { loginServer?: string }): RegistryEntry {
  const { loginServer, ...azure } = info;
  // ARM says it is an ACR: use the metadata API whatever the host name (custom domains, Azure Stack, the rig).
  return { id: `azure:${info.resourceId.toLowerCase()}`, loginServer: loginServer!, source: 'azure', auth: 'entra', backend: 'acr', azure };
}
