/**
 * The Azure path in real VS Code, against the rig's Entra ID and ARM stand-ins: the "Custom" cloud
 * (authority host + resource manager endpoint, as for Azure Stack) signs in with a service principal, the
 * ARM listing puts the registry in the tree, and Entra → ACR token exchange serves its repositories.
 */
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryNodeData } from '../../src/model/nodes';
import { api, children, labelOf, rigDetails, scriptedPrompts } from './harness';

export function defineAzureTests(): void {
  suite('Azure sign-in on a Custom cloud (rig Entra + ARM stand-ins)', () => {
    const rig = rigDetails();

    suiteSetup(async function () {
      if (!rig.arm) this.skip();
      const config = vscode.workspace.getConfiguration('acrkit.azure');
      await config.update('cloud', 'Custom', vscode.ConfigurationTarget.Global);
      await config.update('authorityHost', rig.entra.authorityHost, vscode.ConfigurationTarget.Global);
      await config.update('resourceManagerEndpoint', rig.arm!.endpoint, vscode.ConfigurationTarget.Global);
      await config.update('tenant', rig.entra.tenantId, vscode.ConfigurationTarget.Global);
      await config.update('clientId', rig.entra.clientId, vscode.ConfigurationTarget.Global);
    });

    test('before sign-in the Azure source adds nothing (the welcome view or other registries show)', async () => {
      const a = await api();
      const roots = await children(a);
      assert.ok(!roots.some((n) => n.kind === 'registry' && n.registry.source === 'azure'));
      assert.ok(!roots.some((n) => n.kind === 'error'), roots.map((n) => labelOf(a, n)).join());
    });

    test('signing in lists the subscription\'s registry from ARM, with SKU and location', async () => {
      const a = await api();
      assert.strictEqual(await vscode.commands.executeCommand('acrkit.signIn', undefined, rig.entra.clientSecret), true);
      const roots = await children(a);
      const azure = roots.find((n): n is RegistryNodeData => n.kind === 'registry' && n.registry.source === 'azure');
      assert.ok(azure, roots.map((n) => `${n.kind}:${labelOf(a, n)}`).join());
      assert.strictEqual(azure.registry.loginServer, rig.loginServer);
      assert.strictEqual(azure.registry.azure?.resourceId, rig.arm!.registryId);
      assert.match(String(a.tree.getTreeItem(azure).description), /^Premium · westus · acrkit rig$/);
      assert.match(a.tree.getTreeItem(azure).contextValue ?? '', /^acr:registry;azure$/);
    });

    test('its repositories load through the Entra → ACR token exchange', async () => {
      const a = await api();
      const azure = (await children(a)).find((n): n is RegistryNodeData => n.kind === 'registry' && n.registry.source === 'azure')!;
      const repos = await children(a, azure);
      const names = repos.map((n) => labelOf(a, n));
      assert.ok(names.includes('app') && names.includes('samples/hello'), names.join());
    });

    test('Open in Azure portal builds the resource link of the registry', async () => {
      const a = await api();
      const azure = (await children(a)).find((n): n is RegistryNodeData => n.kind === 'registry' && n.registry.source === 'azure')!;
      const uri = await vscode.commands.executeCommand<string>('acrkit.openInPortal', azure);
      assert.ok(uri.endsWith(`/resource${rig.arm!.registryId}`), uri);
    });
  });
}

export function defineBuildTests(): void {
  suite('Build image in ACR (rig ARM + Tasks stand-in)', () => {
    const rig = rigDetails();

    test('streams the run log, and the new tag appears in the tree', async function () {
      if (!rig.arm) this.skip();
      this.timeout(240_000);
      const a = await api();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acrkit-build-'));
      fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM ${rig.loginServer}/base/busybox:latest\nRUN echo hello-from-the-e2e-build\nCOPY keep.txt /keep.txt\n`);
      fs.writeFileSync(path.join(dir, 'keep.txt'), 'kept\n');
      fs.mkdirSync(path.join(dir, '.git'));
      fs.writeFileSync(path.join(dir, '.git', 'config'), 'not uploaded\n');
      const azure = (await children(a)).find((n): n is RegistryNodeData => n.kind === 'registry' && n.registry.source === 'azure');
      assert.ok(azure, 'sign in first (previous suite)');
      const result = await vscode.commands.executeCommand<{ status: string; log: string[]; error?: string }>(
        'acrkit.buildImage', vscode.Uri.file(path.join(dir, 'Dockerfile')), { registryId: azure.registry.id, imageNames: ['built/e2e:1'] },
      );
      assert.strictEqual(result.error, undefined, result.error);
      assert.strictEqual(result.status, 'Succeeded');
      assert.ok(result.log.some((l) => l.includes('hello-from-the-e2e-build')), result.log.slice(-10).join('\n'));
      const repos = await children(a, azure);
      const built = repos.find((n) => labelOf(a, n) === 'built/e2e');
      assert.ok(built, repos.map((n) => labelOf(a, n)).join());
      assert.deepStrictEqual((await children(a, built)).map((n) => labelOf(a, n)), ['1']);
      fs.rmSync(dir, { recursive: true, force: true });

      // Delete repository: the modal names the repository and what goes; confirmed, only that node goes.
      const asked: string[] = [];
      const previous = a.setPrompts(scriptedPrompts(true, asked));
      try {
        assert.strictEqual(await vscode.commands.executeCommand('acrkit.deleteRepository', built), 'built/e2e');
      } finally {
        a.setPrompts(previous);
      }
      assert.match(asked[0] ?? '', /^Delete repository built\/e2e\?\n.*\/built\/e2e\nDeletes 1 tag\(s\)/);
      const after = (await children(a, azure)).map((n) => labelOf(a, n));
      assert.deepStrictEqual(after, repos.map((n) => labelOf(a, n)).filter((l) => l !== 'built/e2e'));
    });
  });
}
