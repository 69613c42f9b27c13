/** Registers every command with the error edge around it. */
import * as vscode from 'vscode';
import { addRegistryCommand } from './add-registry';
import { addTagCommand } from './add-tag';
import { buildImageCommand } from './build-image';
import { cancelLoadingCommand } from './cancel-loading';
import { type CommandContext, type CommandSpec, runCommand } from './command-context';
import { copyDigestReferenceCommand } from './copy-digest-reference';
import { copyPullCommandCommand } from './copy-pull-command';
import { copyReferenceCommand } from './copy-reference';
import { deleteManifestCommand } from './delete-manifest';
import { deleteRepositoryCommand } from './delete-repository';
import { editCredentialsCommand } from './edit-credentials';
import { clearFilterCommand, filterCommand } from './filter';
import { inspectConfigCommand } from './inspect-config';
import { inspectManifestCommand } from './inspect-manifest';
import { loadMoreCommand } from './load-more';
import { lockCommand, unlockCommand } from './lock-tag';
import { openInPortalCommand } from './open-in-portal';
import { refreshCommand } from './refresh';
import { removeRegistryCommand } from './remove-registry';
import { selectSubscriptionsCommand } from './select-subscriptions';
import { signInCommand } from './sign-in';
import { untagCommand } from './untag';

export const ALL_COMMANDS: CommandSpec[] = [
  addRegistryCommand, removeRegistryCommand, editCredentialsCommand, signInCommand, selectSubscriptionsCommand,
  refreshCommand, filterCommand, clearFilterCommand, cancelLoadingCommand, loadMoreCommand,
  copyReferenceCommand, copyDigestReferenceCommand, copyPullCommandCommand, inspectManifestCommand, inspectConfigCommand,
  addTagCommand, untagCommand, deleteManifestCommand, deleteRepositoryCommand, lockCommand, unlockCommand, openInPortalCommand, buildImageCommand,
];

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return ALL_COMMANDS.map((spec) => vscode.commands.registerCommand(spec.id, (...args: unknown[]) => runCommand(ctx, spec, args)));
}
