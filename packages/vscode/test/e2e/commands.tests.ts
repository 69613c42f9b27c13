/** Commands in the real extension host against the rig: copy, inspect, add tag, untag, lock, delete. */
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import type { TagNodeData, UntaggedNodeData } from '../../src/model/nodes';
import { pushImage, seedRepository } from '../support/seed-images';
import { api, children, find, labelOf, rigDetails, scriptedPrompts } from './harness';

export function defineCommandTests(): void {
  suite('Registry commands (real VS Code, local ACR rig)', () => {
    const rig = rigDetails();

    test('Copy image reference puts host/repo:tag on the clipboard; by digest too', async () => {
      const a = await api();
      const tag = await find(a, rig.loginServer, 'samples/hello', 'latest') as TagNodeData;
      const reference = await vscode.commands.executeCommand('acrkit.copyReference', tag);
      assert.strictEqual(reference, `${rig.loginServer}/samples/hello:latest`);
      assert.strictEqual(await vscode.env.clipboard.readText(), reference);
      const byDigest = await vscode.commands.executeCommand('acrkit.copyDigestReference', tag);
      assert.strictEqual(byDigest, `${rig.loginServer}/samples/hello@${tag.tag.digest}`);
      assert.strictEqual(await vscode.env.clipboard.readText(), byDigest);
      assert.strictEqual(await vscode.commands.executeCommand('acrkit.copyPullCommand', tag), `docker pull ${reference}`);
    });

    test('Inspect manifest opens read-only JSON of the digest the registry lists; the config too', async () => {
      const a = await api();
      const tag = await find(a, rig.loginServer, 'samples/hello', 'latest') as TagNodeData;
      const uri = await vscode.commands.executeCommand<string>('acrkit.inspectManifest', tag);
      assert.ok(uri.includes(encodeURIComponent(tag.tag.digest!)) || uri.includes(tag.tag.digest!), uri);
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor, 'no editor opened');
      assert.strictEqual(editor.document.uri.toString(), uri);
      assert.strictEqual(editor.document.languageId, 'json');
      const manifest = JSON.parse(editor.document.getText()) as { schemaVersion: number; mediaType: string; config: { digest: string } };
      assert.strictEqual(manifest.schemaVersion, 2);
      assert.strictEqual(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
      await vscode.commands.executeCommand('acrkit.inspectConfig', tag);
      const config = JSON.parse(vscode.window.activeTextEditor!.document.getText()) as { os: string; architecture: string };
      assert.deepStrictEqual([config.os, config.architecture], ['linux', 'amd64']);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('Add tag retags the digest remotely and shows it first; Untag removes exactly that node', async () => {
      const a = await api();
      const latest = await find(a, rig.loginServer, 'samples/hello', 'latest') as TagNodeData;
      const repo = latest.parent;
      const before = (await children(a, repo)).map((n) => labelOf(a, n));
      assert.strictEqual(await vscode.commands.executeCommand('acrkit.addTag', latest, 'e2e-copy'), 'e2e-copy');
      const after = await children(a, repo);
      assert.deepStrictEqual(after.map((n) => labelOf(a, n)), ['e2e-copy', ...before]);
      const copy = after[0] as TagNodeData;
      assert.strictEqual(copy.tag.digest, latest.tag.digest);
      // Reload from the registry: the tag is really there, newest first.
      await vscode.commands.executeCommand('acrkit.refresh', repo);
      assert.deepStrictEqual((await children(a, repo)).map((n) => labelOf(a, n)), ['e2e-copy', ...before]);
      const fresh = await find(a, rig.loginServer, 'samples/hello', 'e2e-copy');
      assert.strictEqual(await vscode.commands.executeCommand('acrkit.untag', fresh), 'samples/hello:e2e-copy');
      assert.deepStrictEqual((await children(a, repo)).map((n) => labelOf(a, n)), before);
      await vscode.commands.executeCommand('acrkit.refresh', repo);
      assert.deepStrictEqual((await children(a, repo)).map((n) => labelOf(a, n)), before);
    });

    test('Lock makes a tag refuse deletion with a clear message; Unlock lifts it', async () => {
      const a = await api();
      const tag = await find(a, rig.loginServer, 'samples/hello', '1.0') as TagNodeData;
      await vscode.commands.executeCommand('acrkit.lock', tag);
      assert.match(a.tree.getTreeItem(tag).contextValue ?? '', /^acr:tag;manual;locked$/);
      assert.deepStrictEqual([tag.tag.attributes?.writeEnabled, tag.tag.attributes?.deleteEnabled], [false, false]);
      const refused = await vscode.commands.executeCommand<{ error: string }>('acrkit.untag', tag);
      assert.match(refused.error, /locked against deletion/);
      // The registry itself refuses too (not only the extension's pre-check): bypass it with stale data.
      tag.tag = { ...tag.tag, attributes: { deleteEnabled: true, writeEnabled: true } };
      const serverRefused = await vscode.commands.executeCommand<{ error: string }>('acrkit.untag', tag);
      assert.match(serverRefused.error, /does not allow untagging samples\/hello:1\.0: it is locked/);
      await vscode.commands.executeCommand('acrkit.refresh', tag);
      assert.strictEqual(tag.tag.attributes?.deleteEnabled, false);
      await vscode.commands.executeCommand('acrkit.unlock', tag);
      assert.match(a.tree.getTreeItem(tag).contextValue ?? '', /;unlocked$/);
      assert.ok((await children(a, tag.parent)).some((n) => labelOf(a, n) === '1.0'));
    });

    test('Delete manifest asks a modal question naming every tag that goes, and deletes only when confirmed', async () => {
      const a = await api();
      const tag = await find(a, rig.loginServer, 'samples/hello', '1.1') as TagNodeData;
      const asked: string[] = [];
      const previous = a.setPrompts(scriptedPrompts(false, asked));
      try {
        assert.strictEqual(await vscode.commands.executeCommand('acrkit.deleteManifest', tag), undefined);
        assert.match(asked[0] ?? '', /Tags deleted with it: .*1\.0.*1\.1.*latest|Tags deleted with it: /);
        for (const t of ['1.0', '1.1', 'latest']) assert.ok(asked[0]!.includes(t), asked[0]);
        assert.ok((await children(a, tag.parent)).some((n) => labelOf(a, n) === '1.1'), 'nothing deleted when declined');
      } finally {
        a.setPrompts(previous);
      }
    });

    test('acrkit.showUntagged lists untagged manifests after the tags, under the tag filter; Inspect and Delete manifest work on them', async () => {
      const a = await api();
      const repo = seedRepository({ loginServer: rig.loginServer, credential: { username: rig.username, password: rig.password } }, 'e2e/untagged');
      const loose = await pushImage(repo, [], { seed: 'e2e-untagged-old' });
      await pushImage(repo, ['kept'], { seed: 'e2e-untagged-new' });
      const config = vscode.workspace.getConfiguration('acrkit');
      await config.update('showUntagged', true, vscode.ConfigurationTarget.Global);
      const asked: string[] = [];
      const previous = a.setPrompts(scriptedPrompts(true, asked));
      try {
        a.tree.refresh(); // the new repository is not in the loaded catalog page yet
        const nodes = await children(a, await find(a, rig.loginServer, 'e2e/untagged'));
        assert.deepStrictEqual(nodes.map((n) => labelOf(a, n)), ['kept', `sha256:${loose.digest.slice(7, 19)}`]);
        const untagged = nodes[1] as UntaggedNodeData;
        const item = a.tree.getTreeItem(untagged);
        assert.match(String(item.description), /^untagged/);
        assert.match(item.contextValue ?? '', /^acr:untagged;manual/);
        assert.strictEqual(untagged.manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');

        // The tag filter applies to untagged manifests too: hidden unless it matches their digest.
        await vscode.commands.executeCommand('acrkit.filter', { target: 'tags', pattern: 'kept' });
        assert.deepStrictEqual((await children(a, untagged.parent)).map((n) => labelOf(a, n)), ['kept']);
        const hex = loose.digest.slice(7, 13);
        await vscode.commands.executeCommand('acrkit.filter', { target: 'tags', pattern: hex });
        const byDigest = await children(a, untagged.parent);
        assert.deepStrictEqual(byDigest.map((n) => labelOf(a, n)), [`No tags match "${hex}" in the 1 loaded`, `sha256:${loose.digest.slice(7, 19)}`]);
        assert.deepStrictEqual((a.tree.getTreeItem(byDigest[1]!).label as vscode.TreeItemLabel).highlights, [[7, 13]]);
        await vscode.commands.executeCommand('acrkit.clearFilter');

        const uri = await vscode.commands.executeCommand<string>('acrkit.inspectManifest', untagged);
        assert.ok(uri.includes(encodeURIComponent(loose.digest)) || uri.includes(loose.digest), uri);
        assert.strictEqual(vscode.window.activeTextEditor?.document.getText().includes('"schemaVersion": 2'), true);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');

        assert.strictEqual(await vscode.commands.executeCommand('acrkit.deleteManifest', untagged), loose.digest);
        assert.match(asked[0] ?? '', /\(untagged\)\?\n[\s\S]*No tags point at it\./);
        const parent = untagged.parent;
        assert.deepStrictEqual((await children(a, parent)).map((n) => labelOf(a, n)), ['kept']);
        await vscode.commands.executeCommand('acrkit.refresh', parent);
        assert.deepStrictEqual((await children(a, parent)).map((n) => labelOf(a, n)), ['kept'], 'deleted in the registry too');
      } finally {
        a.setPrompts(previous);
        await config.update('showUntagged', undefined, vscode.ConfigurationTarget.Global);
      }
    });
  });
}
