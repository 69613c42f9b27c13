/**
 * Activation: builds the model (plain data), the tree provider (TreeItems), the view, the commands and
 * the manifest documents, and wires settings and sign-in changes to targeted refreshes. Exports a small
 * API used by the extension-host tests (and open to other extensions).
 */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { AzureAccount, cloudEndpoints } from './auth';
import { RegistryClients } from './clients';
import { registerCommands } from './commands/register-commands';
import type { CommandContext } from './commands/command-context';
import { createRegistryCredentials } from './credentials';
import { createOutputLogger } from './log';
import { ManifestDocuments, MANIFEST_SCHEME } from './manifest-documents';
import { ArmClient } from './model/azure/arm-client';
import { AzureRegistrySource } from './model/azure/azure-source';
import { ExplorerModel } from './model/explorer-model';
import { describeFilter } from './model/filter';
import { LoadTracker } from './model/load-tracker';
import type { ModelNode } from './model/nodes';
import { normalizeSettings } from './model/settings';
import { type Prompts, vscodePrompts } from './prompts';
import { ManualRegistryStore, type NewRegistry } from './registry-store';
import { RegistryTreeProvider } from './tree/registry-tree-provider';

export const VIEW_ID = 'acrkit.registries';

/** What `activate` returns. */
export interface AcrkitApi {
  model: ExplorerModel;
  tree: RegistryTreeProvider;
  view: vscode.TreeView<ModelNode>;
  /** Replaces the dialogs (tests answer them); returns the previous prompts. */
  setPrompts(prompts: Prompts): Prompts;
  /** This extension's log folder; its output channels' files sit under the parent (tests scan them for secrets). */
  logUri: vscode.Uri;
}

export async function activate(context: vscode.ExtensionContext): Promise<AcrkitApi> {
  const channel = vscode.window.createOutputChannel('Container Registries', { log: true });
  const logger = createOutputLogger(channel);
  const registries = new ManualRegistryStore(context.globalState, context.secrets);
  addDevRegistry(registries, channel);
  const azure = new AzureAccount(context.secrets);
  const version = (context.extension.packageJSON as { version?: string }).version ?? '0.0.0';
  const clients = new RegistryClients(createRegistryCredentials(azure, registries, logger), logger, `acrkit-vscode/${version}`);
  const azureSource = new AzureRegistrySource({
    arm: async () => ((await azure.isSignedIn()) ? new ArmClient({ endpoint: cloudEndpoints().resourceManagerEndpoint, token: (t) => azure.armToken(t) }) : undefined),
    tenantId: () => azure.tenantId,
    subscriptions: () => vscode.workspace.getConfiguration('acrkit.azure').get<string[]>('subscriptions', []),
  });
  const model = new ExplorerModel({
    sources: [azureSource, registries],
    clientFor: (entry) => clients.clientFor(entry),
    settings: () => normalizeSettings(readSettings()),
    mediaTypeOf: async (entry, repository, digest, signal) => (await clients.repositoryFor(entry, repository).resolve(digest, { signal })).mediaType,
  });
  const loads = new LoadTracker();
  const tree = new RegistryTreeProvider(model, loads, VIEW_ID);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const documents = new ManifestDocuments(clients);
  const ctx: CommandContext = {
    model, tree, view, registries, clients, azure, documents, log: channel, prompts: vscodePrompts,
    updateFilterState() {
      view.message = describeFilter(model.filter);
      void vscode.commands.executeCommand('setContext', 'acrkit.filtered', view.message !== undefined);
    },
  };
  const updateSignedIn = async (): Promise<void> => {
    await vscode.commands.executeCommand('setContext', 'acrkit.signedIn', await azure.isSignedIn());
  };
  context.subscriptions.push(
    channel, tree, view, azure,
    ...registerCommands(ctx),
    vscode.workspace.registerTextDocumentContentProvider(MANIFEST_SCHEME, documents),
    view.onDidExpandElement((e) => tree.expanded(e.element)),
    view.onDidCollapseElement((e) => tree.collapsed(e.element)),
    loads.onDidChange((active) => void vscode.commands.executeCommand('setContext', 'acrkit.loading', active > 0)),
    azure.onDidChange(() => void updateSignedIn()),
    vscode.authentication.onDidChangeSessions(() => { void updateSignedIn(); tree.refresh(); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('acrkit')) { clients.clear(); tree.refresh(); }
    }),
  );
  void updateSignedIn();
  return {
    model, tree, view, logUri: context.logUri,
    setPrompts(prompts) {
      const previous = ctx.prompts;
      ctx.prompts = prompts;
      return previous;
    },
  };
}

export function deactivate(): void {}

function readSettings() {
  const config = vscode.workspace.getConfiguration('acrkit');
  return {
    pageSize: config.get<number>('pageSize'),
    tagSort: config.get<'newest' | 'oldest' | 'registry'>('tagSort'),
    repositorySort: config.get<'lastUpdated' | 'name'>('repositorySort'),
    showUntagged: config.get<boolean>('showUntagged'),
  };
}

/**
 * "Run extension on the local rig" hands the rig's registry over in a JSON file named by
 * ACRKIT_DEV_REGISTRY_FILE (written by scripts/dev-rig.ts); it is shown for this session only.
 */
function addDevRegistry(registries: ManualRegistryStore, channel: vscode.LogOutputChannel): void {
  const file = process.env.ACRKIT_DEV_REGISTRY_FILE;
  if (!file) return;
  try {
    const dev = JSON.parse(readFileSync(file, 'utf8')) as NewRegistry;
    registries.addForSession({ ...dev, auth: dev.auth ?? 'basic' });
    channel.info(`Showing the development registry ${dev.loginServer} from ${file}`);
  } catch (err) {
    channel.warn(`ACRKIT_DEV_REGISTRY_FILE=${file} could not be read: ${(err as Error).message}`);
  }
}
