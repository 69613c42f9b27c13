/**
 * `runCloudBuild`: what `az acr build` does, done right. Packs the local context (`.dockerignore`
 * applied, reproducible), uploads it, schedules one ACR Tasks run per platform, streams the logs live
 * with secrets masked, cancels the runs when the signal aborts, and for several platforms pushes an
 * index under every tag. The Action's `command: build` and the extension's build command call this.
 *
 * Reference: acr-wire.md §4; azure-cli `acr/build.py`.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { packBuildContext } from '../../build/pack-context';
import type { Transport } from '../../http/transport';
import { silentLogger, type Logger } from '../../log';
import { createArmClient } from './arm-client';
import { createBuildRequests, parsePlatform, type BuildSettings } from './build-request';
import { followRun, type FollowedRun } from './follow-run';
import type { LogBackoff } from './log-stream';
import { pushPlatformIndex } from './platform-index';
import { findRegistryResource } from './registry-resource';
import { getBuildSourceUploadUrl } from './runs';
import type { ImageDescriptor, PlatformProperties, RunStatus } from './run-types';
import { uploadBuildSource } from './upload-source';

export interface CloudBuildOptions extends BuildSettings {
  /** The credential used for login (the ARM token is asked for `<armEndpoint>/.default`). */
  credential: TokenCredential;
  /** Registry resource name (`myreg`) or login server (`myreg.azurecr.io`). */
  registry: string;
  /** If undefined with `resourceGroup`, found through ARM (every visible subscription is searched). */
  subscriptionId?: string;
  resourceGroup?: string;
  /** If undefined, `https://management.azure.com`. */
  armEndpoint?: string;
  /** ARM token audience. If undefined, `armEndpoint` (right for the public and sovereign clouds; Azure Stack differs). */
  armAudience?: string;
  /** Context directory and Dockerfile (absolute or relative to the context; if undefined `Dockerfile`). */
  context: string;
  dockerfile?: string;
  /** Upload `.git`. If undefined, false. */
  includeGit?: boolean;
  /** Registry transport (from `auth/registry-transport`) for the multi-platform index PUT (needed for several `platforms`). */
  registryTransport?: Transport;
  /** Run poll interval. If undefined, 3,000 ms. */
  pollIntervalMs?: number;
  logBackoff?: LogBackoff;
  /** For tests: the wait used by polling and log backoff. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** For tests: the ARM HTTP client. */
  httpClient?: HttpClient;
  userAgentPrefix?: string;
  logger?: Logger;
}

export interface CloudBuildHooks {
  /** Aborting cancels the ACR runs and stops the log streams; the result then says `Canceled`. */
  signal?: AbortSignal;
  /** Each log line (secrets masked), as it arrives; `platform` is set for multi-platform builds. */
  onLog?: (line: string, platform?: string) => void;
  /** Each run's status as it changes, from the moment it is scheduled (`registryId` is its registry's ARM id). */
  onStatus?: (update: { runId: string; status: RunStatus; platform?: string; registryId: string }) => void;
  /** While the context uploads: entries packed, compressed bytes sent so far (after each block). */
  onUpload?: (progress: { entries: number; bytesSent: number }) => void;
}

export interface PlatformRunResult {
  platform: PlatformProperties;
  runId: string;
  status: RunStatus;
  outputImages: ImageDescriptor[];
  runErrorMessage?: string;
  lastLogLines: string[];
}

export interface CloudBuildResult {
  /** `Succeeded` only when every platform's run succeeded (and the index was pushed). */
  status: RunStatus;
  /** The run id (comma-separated for several platforms). */
  runId: string;
  /** Wall time from the start of packing to the end, in ms. */
  duration: number;
  /** Pushed images with digests: per tag, the index for multi-platform builds. */
  outputImages: ImageDescriptor[];
  runs: PlatformRunResult[];
  dockerFilePath: string;
  /** On failure: the last log lines and ACR's error message. */
  lastLogLines?: string[];
  runErrorMessage?: string;
}

/**
 * Builds in ACR. Rejects for bad options, ARM or upload failures, and for an abort before any run was
 * scheduled; once runs exist, resolves with their outcome (including `Canceled` after an abort).
 */
export async function runCloudBuild(options: CloudBuildOptions, hooks: CloudBuildHooks = {}): Promise<CloudBuildResult> {
  const started = Date.now();
  const logger = options.logger ?? silentLogger;
  const { signal } = hooks;
  const platforms = options.platforms?.length ? options.platforms : ['linux/amd64'];
  platforms.forEach(parsePlatform);
  if (platforms.length > 1 && !options.registryTransport && options.push !== false) {
    throw new TypeError('a multi-platform build needs options.registryTransport to push the index');
  }
  const arm = createArmClient({ credential: options.credential, endpoint: options.armEndpoint, audience: options.armAudience, httpClient: options.httpClient, userAgentPrefix: options.userAgentPrefix });
  const registry = await findRegistryResource(arm, { registry: options.registry, subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup, signal });
  const loginServer = registry.loginServer ?? (options.registry.includes('.') || options.registry.includes(':') ? options.registry : undefined);

  const packed = await packBuildContext({ contextDir: options.context, dockerfile: options.dockerfile, includeGit: options.includeGit, signal });
  const requests = createBuildRequests({ ...options, platforms, loginServer, dockerFilePath: packed.dockerFilePath, sourceLocation: '' });
  const upload = await getBuildSourceUploadUrl(arm, registry.id, { signal });
  const onProgress = hooks.onUpload && ((bytesSent: number) => hooks.onUpload!({ entries: packed.entries.length, bytesSent }));
  const bytes = await uploadBuildSource(upload.uploadUrl, packed.stream, { signal, onProgress });
  logger.info(`uploaded build context: ${packed.entries.length} entries, ${bytes} bytes compressed`);

  const multi = platforms.length > 1;
  const followed: FollowedRun[] = await Promise.all(
    requests.map(({ platform, request }, i) =>
      followRun({
        arm, registryId: registry.id, request: { ...request, sourceLocation: upload.relativePath }, label: platforms[i]!, signal, logger,
        pollIntervalMs: options.pollIntervalMs, logBackoff: options.logBackoff, sleep: options.sleep,
        onLog: hooks.onLog && ((line) => hooks.onLog!(line, multi ? platforms[i] : undefined)),
        onStatus: hooks.onStatus && ((u) => hooks.onStatus!({ runId: u.runId, status: u.status, platform: multi ? platforms[i] : undefined, registryId: registry.id })),
      }).then((f) => ({ ...f, platform })),
    ),
  );
  const runs = followed.map((f, i) => toPlatformResult(f, requests[i]!.platform));
  const failed = runs.find((r) => r.status !== 'Succeeded');
  let outputImages = runs.flatMap((r) => r.outputImages);
  if (!failed && multi && options.push !== false) {
    outputImages = await pushIndexes(options, loginServer, runs, signal);
  }
  return {
    status: failed?.status ?? 'Succeeded',
    runId: runs.map((r) => r.runId).join(','),
    duration: Date.now() - started,
    outputImages,
    runs,
    dockerFilePath: packed.dockerFilePath,
    ...(failed ? { lastLogLines: failed.lastLogLines, runErrorMessage: failed.runErrorMessage } : {}),
  };
}

function toPlatformResult(f: FollowedRun, platform: PlatformProperties): PlatformRunResult {
  const p = f.run.properties;
  return {
    platform,
    runId: p.runId,
    status: p.status ?? 'Error',
    outputImages: p.outputImages ?? [],
    ...(p.runErrorMessage ? { runErrorMessage: p.runErrorMessage } : {}),
    lastLogLines: f.tail,
  };
}

/** Pushes one index per repository under every requested tag of it. */
async function pushIndexes(options: CloudBuildOptions, loginServer: string | undefined, runs: PlatformRunResult[], signal?: AbortSignal): Promise<ImageDescriptor[]> {
  if (!loginServer) throw new TypeError('the registry login server is unknown: give options.registry as a login server');
  const byRepo = new Map<string, string[]>();
  for (const name of options.imageNames) {
    const bare = name.toLowerCase().startsWith(`${loginServer.toLowerCase()}/`) ? name.slice(loginServer.length + 1) : name;
    const at = bare.lastIndexOf(':');
    const [repo, tag] = at > 0 ? [bare.slice(0, at), bare.slice(at + 1)] : [bare, 'latest'];
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), tag]);
  }
  const out: ImageDescriptor[] = [];
  for (const [repository, tags] of byRepo) {
    const images = runs.map((r) => {
      const digest = r.outputImages.find((o) => o.repository === repository)?.digest;
      if (!digest) throw new Error(`run ${r.runId} reported no digest for ${repository}`);
      return { platform: r.platform, digest };
    });
    const digest = await pushPlatformIndex({ transport: options.registryTransport!, loginServer, repository, tags, images, signal });
    for (const tag of tags) out.push({ registry: loginServer, repository, tag, digest });
  }
  return out;
}
