/**
 * Build image in ACR (ACR Tasks quick build) from a Dockerfile: the core packs the Dockerfile's folder
 * with `.dockerignore` applied and without `.git`, uploads it, streams the run's log into the "ACR Build"
 * output channel as it comes, and Cancel in the progress notification cancels the run in Azure. When it
 * is done the registry node reloads, so the new tag shows. Tests pass `{ registryId, imageNames }`.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { runCloudBuild } from '@acrkit/core/acr/tasks/run-cloud-build';
import { cloudEndpoints } from '../auth';
import type { RegistryNodeData } from '../model/nodes';
import type { RegistryEntry } from '../model/registry-entry';
import { createOutputLogger } from '../log';
import { type CommandContext, type CommandSpec, UserFacingError } from './command-context';

let buildChannel: vscode.OutputChannel | undefined;

export const buildImageCommand: CommandSpec = {
  id: 'acrkit.buildImage',
  async run(ctx, uriArg, optionsArg) {
    if (!vscode.workspace.isTrusted) throw new UserFacingError('Building uploads workspace files to Azure: trust this workspace first.');
    const given = optionsArg as { registryId?: string; imageNames?: string[] } | undefined;
    const dockerfile = uriArg instanceof vscode.Uri ? uriArg : await pickDockerfile(ctx);
    if (!dockerfile) return undefined;
    const registry = await pickRegistry(ctx, given?.registryId);
    if (!registry?.azure) return undefined;
    const context = dirname(dockerfile.fsPath);
    const imageNames = given?.imageNames ?? (await askImageName(ctx, basename(context)));
    if (!imageNames?.length) return undefined;
    buildChannel ??= vscode.window.createOutputChannel('ACR Build');
    const channel = buildChannel;
    channel.show(true);
    channel.appendLine(`▶ Building ${imageNames.join(', ')} in ${registry.loginServer} from ${dockerfile.fsPath}`);
    const lines: string[] = [];
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Building ${imageNames[0]} in ${registry.azure.name}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort(new DOMException('Build cancelled', 'AbortError')));
        return runCloudBuild(
          {
            credential: ctx.azure.credential(registry.azure!.tenantId),
            registry: registry.azure!.name,
            subscriptionId: registry.azure!.subscriptionId,
            resourceGroup: registry.azure!.resourceGroup,
            armEndpoint: cloudEndpoints().resourceManagerEndpoint,
            context,
            dockerfile: dockerfile.fsPath,
            imageNames,
            registryTransport: undefined,
            logger: createOutputLogger(ctx.log),
          },
          {
            signal: controller.signal,
            onLog: (line) => { lines.push(line); channel.appendLine(line); },
            onUpload: (u) => progress.report({ message: `uploading the context: ${u.entries} entries, ${formatMiB(u.bytesSent)} sent` }),
            onStatus: (update) => progress.report({ message: `${update.runId}: ${update.status}` }),
          },
        );
      },
    );
    channel.appendLine(`◀ ${result.status} (run ${result.runId}, ${Math.round(result.duration / 1000)} s)`);
    refreshRegistry(ctx, registry);
    if (result.status !== 'Succeeded') {
      throw new UserFacingError(`The ACR build ${result.runId} ended ${result.status}${result.runErrorMessage ? `: ${result.runErrorMessage}` : ''}. See the "ACR Build" output.`);
    }
    ctx.prompts.info(`Built and pushed ${imageNames.join(', ')}`);
    return { status: result.status, runId: result.runId, logLines: lines.length, log: lines, outputImages: result.outputImages };
  },
};

function formatMiB(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

function refreshRegistry(ctx: CommandContext, registry: RegistryEntry): void {
  const node = ctx.model.nodes.get(`reg|${registry.id}`) as RegistryNodeData | undefined;
  ctx.tree.refresh(node);
}

async function pickDockerfile(ctx: CommandContext): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles('**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*}', '**/node_modules/**', 100);
  if (files.length === 0) throw new UserFacingError('No Dockerfile in this workspace.');
  const picked = await ctx.prompts.pickOne(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: 'Dockerfile to build' });
  return picked?.uri;
}

async function pickRegistry(ctx: CommandContext, registryId: string | undefined): Promise<RegistryEntry | undefined> {
  const roots = (await ctx.model.getChildren()).filter((n): n is RegistryNodeData => n.kind === 'registry' && n.registry.source === 'azure');
  if (registryId) return roots.find((n) => n.registry.id === registryId)?.registry;
  if (roots.length === 0) throw new UserFacingError('Building in ACR needs an Azure registry: sign in to Azure first.');
  const picked = await ctx.prompts.pickOne(roots.map((n) => ({ label: n.registry.loginServer, description: n.registry.azure?.resourceGroup, entry: n.registry })), { title: 'Registry to build in' });
  return picked?.entry;
}

async function askImageName(ctx: CommandContext, folder: string): Promise<string[] | undefined> {
  const value = await ctx.prompts.input({ title: 'Image name and tags', prompt: 'repository:tag, several separated by commas', value: `${folder.toLowerCase()}:latest` });
  return value?.split(',').map((s) => s.trim()).filter(Boolean);
}
