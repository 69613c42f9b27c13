/** Errors and cancellation in the real extension host: wrong credentials, a registry that never answers. */
import * as assert from 'node:assert';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { RegistryNodeData } from '../../src/model/nodes';
import { api, children, labelOf, rigDetails } from './harness';

export function defineResilienceTests(): void {
  suite('Errors and cancellation (real VS Code)', () => {
    const rig = rigDetails();

    test('wrong credentials show an error node whose action edits them; fixed credentials load', async () => {
      const a = await api();
      await vscode.commands.executeCommand('acrkit.editCredentials', await registryNode(rig.loginServer), { username: rig.username, password: 'not-the-password' });
      const registry = await registryNode(rig.loginServer);
      const [error] = await children(a, registry);
      assert.strictEqual(error?.kind, 'error');
      const item = a.tree.getTreeItem(error!);
      assert.strictEqual(item.command?.command, 'acrkit.editCredentials');
      assert.strictEqual(item.description, 'Edit credentials…');
      assert.ok(!String(item.label).includes('not-the-password'));
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []), { username: rig.username, password: rig.password });
      const repos = await children(a, await registryNode(rig.loginServer));
      assert.ok(repos.some((n) => labelOf(a, n) === 'app'), repos.map((n) => labelOf(a, n)).join());
    });

    test('"Cancel loading" aborts a registry that never answers and leaves a retry node', async () => {
      const a = await api();
      const sockets: net.Socket[] = [];
      const server = net.createServer((s) => sockets.push(s)); // accepts, never answers
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      try {
        await vscode.commands.executeCommand('acrkit.addRegistry', { loginServer: `127.0.0.1:${port}`, auth: 'anonymous' });
        const silent = await registryNode(`127.0.0.1:${port}`);
        const pending = children(a, silent);
        await new Promise((r) => setTimeout(r, 500));
        assert.ok(a.tree.loads.active > 0, 'a load is in flight');
        await vscode.commands.executeCommand('acrkit.cancelLoading');
        const result = await pending;
        assert.deepStrictEqual(result.map((n) => n.kind), ['message']);
        assert.strictEqual(labelOf(a, result[0]!), 'Loading cancelled. Click to load again.');
        assert.strictEqual(a.tree.getTreeItem(result[0]!).command?.command, 'acrkit.refresh');
        assert.strictEqual(a.tree.loads.active, 0);
        await vscode.commands.executeCommand('acrkit.removeRegistry', silent);
        assert.ok(!(await children(a)).some((n) => labelOf(a, n) === `127.0.0.1:${port}`));
      } finally {
        sockets.forEach((s) => s.destroy());
        server.close();
      }
    });

    async function registryNode(loginServer: string): Promise<RegistryNodeData> {
      const a = await api();
      const found = (await children(a)).find((n): n is RegistryNodeData => n.kind === 'registry' && n.registry.loginServer === loginServer);
      assert.ok(found, `no registry ${loginServer}`);
      return found;
    }
  });
}
