/** Picks the tenant, then the subscriptions whose registries are listed (stored in settings). */
import * as vscode from 'vscode';
import { ArmClient } from '../model/azure/arm-client';
import { cloudEndpoints } from '../auth';
import type { CommandSpec } from './command-context';

export const selectSubscriptionsCommand: CommandSpec = {
  id: 'acrkit.selectSubscriptions',
  async run(ctx) {
    const arm = new ArmClient({ endpoint: cloudEndpoints().resourceManagerEndpoint, token: (tenant) => ctx.azure.armToken(tenant) });
    const config = vscode.workspace.getConfiguration('acrkit.azure');
    const tenants = await arm.listTenants();
    let tenantId = config.get<string>('tenant') || undefined;
    if (tenants.length > 1) {
      const picked = await ctx.prompts.pickOne(
        tenants.map((t) => ({ label: t.displayName ?? t.tenantId, description: t.defaultDomain, detail: t.tenantId, picked: t.tenantId === tenantId, tenantId: t.tenantId })),
        { title: 'Tenant' },
      );
      if (!picked) return undefined;
      tenantId = picked.tenantId;
    }
    const chosen = new Set(config.get<string[]>('subscriptions', []));
    const subscriptions = await arm.listSubscriptions(tenantId);
    const picked = await ctx.prompts.pickMany(
      subscriptions.map((s) => ({ label: s.displayName, description: s.subscriptionId, picked: chosen.size === 0 || chosen.has(s.subscriptionId), id: s.subscriptionId })),
      { title: 'Subscriptions whose registries are listed' },
    );
    // An empty list in settings means "all": picking none keeps the previous choice instead of listing everything.
    if (!picked || picked.length === 0) return undefined;
    await config.update('tenant', tenantId ?? '', vscode.ConfigurationTarget.Global);
    const all = picked.length === subscriptions.length;
    await config.update('subscriptions', all ? [] : picked.map((p) => p.id), vscode.ConfigurationTarget.Global);
    ctx.tree.refresh();
    return picked.map((p) => p.id);
  },
};
