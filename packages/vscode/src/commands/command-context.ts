/**
 * What every command gets, the shape of a command, and the edge where failures become messages
 * (logged, shown, and returned as `{ error }` so the extension-host tests can assert the wording).
 */
import * as vscode from 'vscode';
import type { ExplorerModel } from '../model/explorer-model';
import { errorMessage, isAbortError } from '../model/error-kind';
import type { ModelNode, RepositoryNodeData, TagNodeData, ManifestNodeData, RegistryNodeData, UntaggedNodeData } from '../model/nodes';
import type { RegistryTreeProvider } from '../tree/registry-tree-provider';
import type { Prompts } from '../prompts';
import type { ManualRegistryStore } from '../registry-store';
import type { RegistryClients } from '../clients';
import type { AzureAccount } from '../auth';
import type { ManifestDocuments } from '../manifest-documents';

export interface CommandContext {
  model: ExplorerModel;
  tree: RegistryTreeProvider;
  view: vscode.TreeView<ModelNode>;
  registries: ManualRegistryStore;
  clients: RegistryClients;
  azure: AzureAccount;
  documents: ManifestDocuments;
  log: vscode.LogOutputChannel;
  /** Replaceable by tests through the exported API. */
  prompts: Prompts;
  /** Updates the view's message and the `acrkit.filtered` context key after a filter change. */
  updateFilterState(): void;
}

export interface CommandSpec {
  id: string;
  run(ctx: CommandContext, ...args: unknown[]): Promise<unknown>;
}

/** What a command that failed returns (and shows). */
export interface CommandFailure {
  error: string;
}

/** Runs a command at the edge: errors are logged and shown, never thrown into VS Code. */
export async function runCommand(ctx: CommandContext, spec: CommandSpec, args: unknown[]): Promise<unknown> {
  try {
    return await spec.run(ctx, ...args);
  } catch (err) {
    if (isAbortError(err)) return { error: 'cancelled' } satisfies CommandFailure;
    const message = errorMessage(err);
    ctx.log.error(`${spec.id}: ${message}`);
    void vscode.window.showErrorMessage(message);
    return { error: message } satisfies CommandFailure;
  }
}

/** A failure whose message is meant for the user as is. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}

function expectNode<K extends ModelNode['kind']>(node: unknown, kinds: K[], what: string): Extract<ModelNode, { kind: K }> {
  const kind = (node as ModelNode | undefined)?.kind;
  if (!kind || !(kinds as string[]).includes(kind)) {
    throw new UserFacingError(`Select ${what} in the Container Registries view first.`);
  }
  return node as Extract<ModelNode, { kind: K }>;
}

export const asTag = (node: unknown): TagNodeData => expectNode(node, ['tag'], 'a tag');
export const asRepository = (node: unknown): RepositoryNodeData => expectNode(node, ['repository'], 'a repository');
export const asRegistry = (node: unknown): RegistryNodeData => expectNode(node, ['registry'], 'a registry');
/** A node that stands for one manifest: a tag, a platform manifest, or an untagged manifest. */
export type ImageNode = TagNodeData | ManifestNodeData | UntaggedNodeData;
export const asImage = (node: unknown): ImageNode => expectNode(node, ['tag', 'manifest', 'untagged'], 'a tag or manifest');

/** The registry, repository name and digest an image node stands for (resolving a tag's digest if needed). */
export async function imageOf(ctx: CommandContext, node: ImageNode): Promise<{ repository: RepositoryNodeData; digest: string; tag?: string }> {
  if (node.kind === 'manifest') return { repository: node.parent.parent, digest: node.digest };
  if (node.kind === 'untagged') return { repository: node.parent, digest: node.manifest.digest };
  return { repository: node.parent, digest: await ctx.model.digestOf(node), tag: node.tag.name };
}
