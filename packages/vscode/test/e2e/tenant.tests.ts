/**
 * "Sign in / choose tenant and subscriptions" in real VS Code against the ARM stand-in's `GET /tenants` and
 * `GET /subscriptions`: the quick picks are answered through the scripted prompts, and the choice lands in
 * the acrkit.azure.tenant / acrkit.azure.subscriptions settings that decide which registries the tree lists.
 * Runs after the Azure sign-in suite (it needs the service principal signed in).
 */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { AcrkitApi } from '../../src/extension';
import type { Prompts } from '../../src/prompts';
import { api, children, rigDetails, scriptedPrompts } from './harness';

const OTHER_SUBSCRIPTION = '00000000-aaaa-4bbb-8ccc-00000000dead';

interface Offered { tenants: vscode.QuickPickItem[]; subscriptions: vscode.QuickPickItem[] }

/** Prompts that pick the tenant whose id is `tenantId` (none: cancel) and the subscriptions `pick` chooses. */
function pickerPrompts(offered: Offered, tenantId: string | undefined, pick: (items: vscode.QuickPickItem[]) => vscode.QuickPickItem[]): Prompts {
  return {
    ...scriptedPrompts(false, []),
    pickOne: async (items) => {
      offered.tenants.push(...items);
      return items.find((i) => i.detail === tenantId);
    },
    pickMany: async (items) => {
      offered.subscriptions.push(...items);
      return pick(items) as typeof items;
    },
  };
}

async function azureRegistries(a: AcrkitApi): Promise<string[]> {
  return (await children(a)).flatMap((n) => (n.kind === 'registry' && n.registry.source === 'azure' ? [n.registry.loginServer] : []));
}

async function choose(a: AcrkitApi, prompts: Prompts): Promise<unknown> {
  const previous = a.setPrompts(prompts);
  try {
    return await vscode.commands.executeCommand('acrkit.selectSubscriptions');
  } finally {
    a.setPrompts(previous);
  }
}

export function defineTenantTests(): void {
  suite('Choose tenant and subscriptions (rig ARM stand-in GET /tenants)', () => {
    const rig = rigDetails();
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('acrkit.azure');

    suiteSetup(async function () {
      if (!rig.arm) this.skip();
      // As if an earlier choice had kept only a subscription the rig does not have: no Azure registry is listed.
      await config().update('subscriptions', [OTHER_SUBSCRIPTION], vscode.ConfigurationTarget.Global);
    });

    suiteTeardown(async () => {
      await config().update('subscriptions', undefined, vscode.ConfigurationTarget.Global);
      await config().update('tenant', rig.entra.tenantId, vscode.ConfigurationTarget.Global);
    });

    test('cancelling the tenant pick changes no setting', async () => {
      const a = await api();
      assert.deepStrictEqual(await azureRegistries(a), []);
      const offered: Offered = { tenants: [], subscriptions: [] };
      assert.strictEqual(await choose(a, pickerPrompts(offered, undefined, (items) => items)), undefined);
      assert.deepStrictEqual(offered.tenants.map((t) => [t.label, t.description, t.detail, t.picked]), [
        ['acrkit rig', undefined, rig.entra.tenantId, true],
        ['Other directory', 'other.example', rig.arm!.tenants[1]!.tenantId, false],
      ]);
      assert.deepStrictEqual(offered.subscriptions, [], 'no subscription pick after a cancelled tenant pick');
      assert.deepStrictEqual(config().get('subscriptions'), [OTHER_SUBSCRIPTION]);
      assert.strictEqual(config().get('tenant'), rig.entra.tenantId);
    });

    test('picking the tenant and its subscription stores them and lists the subscription\'s registry', async () => {
      const a = await api();
      await config().update('tenant', '', vscode.ConfigurationTarget.Global);
      const offered: Offered = { tenants: [], subscriptions: [] };
      const result = await choose(a, pickerPrompts(offered, rig.entra.tenantId, (items) => items.filter((i) => i.description === rig.arm!.subscriptionId)));
      assert.deepStrictEqual(result, [rig.arm!.subscriptionId]);
      assert.deepStrictEqual(offered.tenants.map((t) => t.picked), [false, false], 'no tenant was configured');
      // The stored choice (another subscription) is not pre-selected; the rig's only subscription is offered.
      assert.deepStrictEqual(offered.subscriptions.map((s) => [s.label, s.description, s.picked]), [['acrkit rig', rig.arm!.subscriptionId, false]]);
      assert.strictEqual(config().get('tenant'), rig.entra.tenantId);
      assert.deepStrictEqual(config().get('subscriptions'), [], 'every subscription picked is stored as "all"');
      assert.deepStrictEqual(await azureRegistries(a), [rig.loginServer]);
    });

    test('picking no subscription keeps the previous choice (an empty setting would mean "all")', async () => {
      const a = await api();
      await config().update('subscriptions', [OTHER_SUBSCRIPTION], vscode.ConfigurationTarget.Global);
      const offered: Offered = { tenants: [], subscriptions: [] };
      assert.strictEqual(await choose(a, pickerPrompts(offered, rig.entra.tenantId, () => [])), undefined);
      assert.deepStrictEqual(config().get('subscriptions'), [OTHER_SUBSCRIPTION]);
      assert.deepStrictEqual(await azureRegistries(a), []);
    });
  });
}
