/** The tree in the real extension host: registry → repositories (details on hover) → tags newest first, Load more, filter, index, tooltip. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { ModelNode, RepositoryNodeData, TagNodeData } from '../../src/model/nodes';
import { api, children, find, labelOf, rigDetails } from './harness';

export function defineExplorerTests(): void {
  suite('Container Registries explorer (real VS Code, local ACR rig)', () => {
    const rig = rigDetails();

    suiteSetup(async () => {
      await vscode.workspace.getConfiguration('acrkit').update('pageSize', 10, vscode.ConfigurationTarget.Global);
    });

    test('activates, contributes its view and commands', async () => {
      const a = await api();
      assert.ok(a.tree && a.model);
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['acrkit.addRegistry', 'acrkit.filter', 'acrkit.untag', 'acrkit.lock', 'acrkit.inspectManifest']) assert.ok(commands.includes(id), id);
      await vscode.commands.executeCommand('acrkit.registries.focus');
    });

    test('Add registry stores the rig with its admin user and shows it in the tree', async () => {
      const a = await api();
      const id = await vscode.commands.executeCommand('acrkit.addRegistry', {
        loginServer: rig.loginServer, auth: 'basic', username: rig.username, password: rig.password, backend: 'acr',
      });
      assert.strictEqual(id, `manual:${rig.loginServer}`);
      const roots = await children(a);
      assert.ok(roots.some((n) => labelOf(a, n) === rig.loginServer), roots.map((n) => labelOf(a, n)).join());
    });

    test('repositories come by name, names only; hovering one loads its tag count and time and redraws it alone', async () => {
      const a = await api();
      const repos = (await children(a, await find(a, rig.loginServer))).filter((n): n is RepositoryNodeData => n.kind === 'repository');
      const names = repos.map((n) => labelOf(a, n));
      assert.ok(names.includes('app') && names.includes('samples/hello'), names.join());
      assert.deepStrictEqual(names, [...names].sort((x, y) => x.localeCompare(y)));
      const app = repos[names.indexOf('app')]!;
      const item = a.tree.getTreeItem(app);
      assert.strictEqual(item.description, undefined, 'no details before they are known');
      assert.strictEqual(item.tooltip, undefined, 'the tooltip is left for resolveTreeItem');
      const redrawn: Array<ModelNode | undefined> = [];
      const listening = a.tree.onDidChangeTreeData((n) => redrawn.push(n));
      try {
        const resolved = await a.tree.resolveTreeItem(item, app, new vscode.CancellationTokenSource().token);
        assert.match((resolved.tooltip as vscode.MarkdownString).value, /Tags: 30 {2}\n.*Last update: /s);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepStrictEqual(redrawn, [app], 'only the hovered repository is redrawn');
      } finally {
        listening.dispose();
      }
      assert.match(String(a.tree.getTreeItem(app).description), /^30 tags · (just now|\d+ (seconds?|minutes?) ago)$/);
      const other = repos.find((n) => n !== app)!;
      assert.strictEqual(a.tree.getTreeItem(other).description, undefined, 'the other repositories stay names only');
    });

    test('a repository whose details arrive while it is open is redrawn when it collapses, not before', async () => {
      // Redrawing an open node makes VS Code drop its children: a tag expanding under it stayed open and empty.
      const a = await api();
      const hello = await find(a, rig.loginServer, 'samples/hello') as RepositoryNodeData;
      const redrawn: Array<ModelNode | undefined> = [];
      const listening = a.tree.onDidChangeTreeData((n) => redrawn.push(n));
      try {
        await untilViewEvent(a.view.onDidExpandElement, hello, () => a.view.reveal(hello, { expand: true, select: false, focus: false }));
        const resolved = await a.tree.resolveTreeItem(a.tree.getTreeItem(hello), hello, new vscode.CancellationTokenSource().token);
        assert.match((resolved.tooltip as vscode.MarkdownString).value, /Tags: 4 {2}\n/, 'the tooltip has the details at once');
        await new Promise((r) => setTimeout(r, 100));
        assert.deepStrictEqual(redrawn, [], 'no redraw while the repository is open');
        await untilViewEvent(a.view.onDidCollapseElement, hello, () => vscode.commands.executeCommand('workbench.actions.treeView.acrkit.registries.collapseAll'));
        assert.deepStrictEqual(redrawn, [hello], 'redrawn once, when it collapsed');
      } finally {
        listening.dispose();
      }
      assert.match(String(a.tree.getTreeItem(hello).description), /^4 tags · /);
    });

    test('tags come newest first, one page at a time, with "Load more"', async () => {
      const a = await api();
      const app = await find(a, rig.loginServer, 'app');
      const first = await children(a, app);
      const newest = [...rig.appTags].reverse();
      assert.deepStrictEqual(first.slice(0, 10).map((n) => labelOf(a, n)), newest.slice(0, 10));
      assert.strictEqual(first[10]?.kind, 'loadMore');
      assert.strictEqual(a.tree.getTreeItem(first[10]!).command?.command, 'acrkit.loadMore');
      await vscode.commands.executeCommand('acrkit.loadMore', first[10]);
      const more = await children(a, app);
      assert.deepStrictEqual(more.slice(0, 20).map((n) => labelOf(a, n)), newest.slice(0, 20));
      assert.strictEqual(more[20]?.kind, 'loadMore');
    });

    test('the filter narrows tags, shows in the view message, and clears', async () => {
      const a = await api();
      const app = await find(a, rig.loginServer, 'app');
      const pattern = await vscode.commands.executeCommand('acrkit.filter', { target: 'tags', pattern: 'v1.2?' });
      assert.strictEqual(pattern, 'v1.2?');
      const filtered = (await children(a, app)).filter((n) => n.kind === 'tag').map((n) => labelOf(a, n));
      assert.deepStrictEqual(filtered, ['v1.29', 'v1.28', 'v1.27', 'v1.26', 'v1.25', 'v1.24', 'v1.23', 'v1.22', 'v1.21', 'v1.20']);
      assert.match(a.view.message ?? '', /tags matching "v1\.2\?"/);
      const item = a.tree.getTreeItem((await children(a, app))[0]!);
      assert.deepStrictEqual((item.label as vscode.TreeItemLabel).highlights, [[0, 4]]);
      await vscode.commands.executeCommand('acrkit.clearFilter');
      assert.strictEqual(a.view.message, undefined);
      assert.strictEqual((await children(a, app)).filter((n) => n.kind === 'tag').length, 20);
    });

    test('an index expands into its platforms; the tooltip resolves lazily with digest and platforms', async () => {
      const a = await api();
      const multi = await find(a, rig.loginServer, 'samples/hello', 'multiarch') as TagNodeData;
      const platforms = await children(a, multi);
      assert.deepStrictEqual(platforms.map((n) => labelOf(a, n)), ['linux/amd64', 'linux/arm64']);
      const item = a.tree.getTreeItem(multi);
      assert.strictEqual(item.tooltip, undefined, 'the tooltip is left for resolveTreeItem');
      const source = new vscode.CancellationTokenSource();
      const resolved = await a.tree.resolveTreeItem(item, multi, source.token);
      const text = (resolved.tooltip as vscode.MarkdownString).value;
      assert.ok(text.includes(multi.tag.digest!), text);
      assert.match(text, /Platforms: linux\/amd64, linux\/arm64/);
      assert.match(text, /Size: \d+ B/);
      const latest = await find(a, rig.loginServer, 'samples/hello', 'latest') as TagNodeData;
      const single = ((await a.tree.resolveTreeItem(a.tree.getTreeItem(latest), latest, source.token)).tooltip as vscode.MarkdownString).value;
      assert.match(single, /Media type: `application\/vnd\.oci\.image\.manifest\.v1\+json`/);
      assert.match(single, /Lock: none/);
    });

    test('refreshing a repository reloads it alone and keeps node identity', async () => {
      const a = await api();
      const app = await find(a, rig.loginServer, 'app');
      await vscode.commands.executeCommand('acrkit.refresh', app);
      const again = await find(a, rig.loginServer, 'app');
      assert.strictEqual(again, app);
      assert.strictEqual((await children(a, app)).filter((n) => n.kind === 'tag').length, 10);
    });
  });
}

/** Runs `action` and resolves once `event` fired for `node` (VS Code reports expand/collapse asynchronously). */
async function untilViewEvent(event: vscode.Event<vscode.TreeViewExpansionEvent<ModelNode>>, node: ModelNode, action: () => Thenable<unknown>): Promise<void> {
  let listener: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const fired = new Promise<void>((resolve, reject) => {
    listener = event((e) => { if (e.element === node) resolve(); });
    timer = setTimeout(() => reject(new Error(`no view event for ${node.id} within 5 s`)), 5_000);
  });
  try {
    await action();
    await fired;
  } finally {
    listener?.dispose();
    clearTimeout(timer);
  }
}
