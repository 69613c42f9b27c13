/**
 * `command: build`: builds the checked-out workspace in ACR Tasks with `runCloudBuild`, signed in with
 * the same Entra identity as login. Tags come from the tag rules; the run's log streams live into the
 * job log inside a group; the job summary shows the run; a failed run fails the step with its last log
 * lines as an error annotation; cancellation (SIGINT/SIGTERM → `deps.signal`) cancels the ACR run.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getAzureCloud } from '@acrkit/core/acr/login-server';
import type { CloudBuildOptions, CloudBuildResult, runCloudBuild } from '@acrkit/core/acr/tasks/run-cloud-build';
import { createRegistryTransport } from '@acrkit/core/auth/registry-transport';
import { Repository } from '@acrkit/core/registry/repository';
import { createAzureCredential } from '../azure-credential';
import type { CommandDeps, CommandResult } from '../commands/command';
import { existingTags } from '../existing-tags';
import { InputError } from '../input-error';
import { computeMetadata, metadataOutputs } from '../metadata';
import { registryLogin } from '../registry-credentials';
import { describeFailure } from '../registry-failure';
import { describeArmFailure } from './arm-failure';
import type { BuildInputs } from './build-inputs';
import { buildRunRecorder } from './build-state';
import { buildSummaryMarkdown } from './build-summary';
import { LogWindow } from './log-window';
import { uploadProgressLog } from './upload-progress';

/** What a build needs from the runner besides the common command deps (`@actions/core` in the Action). */
export interface BuildHost {
  /** Writes one line to the job log as is. */
  writeLine(line: string): void;
  saveState(name: string, value: string): void;
  setOutput(name: string, value: string): void;
  /** An error annotation with a title (core.error). */
  errorAnnotation(message: string, title: string): void;
  /** Appends to GITHUB_STEP_SUMMARY (no-op when unset). */
  writeSummary(markdown: string): Promise<void>;
  /** Loads the cloud build code (a separate bundle in dist/, loaded only for this command). */
  loadCloudBuild(): Promise<{ runCloudBuild: typeof runCloudBuild }>;
}

/** Lines of a failed run shown in the error annotation. */
const ANNOTATION_LINES = 20;

/** Runs the build; resolves with outputs on success, throws (after summary and annotation) otherwise. */
export async function runBuild(deps: CommandDeps, build: BuildInputs, host: BuildHost): Promise<CommandResult> {
  const { inputs, github, signal, env, now } = deps;
  // Build log lines are printed inside a window that keeps the runner from obeying them; the Action's
  // own workflow commands (masks, warnings, debug lines, ID token requests) pass around it.
  const logWindow = new LogWindow((line) => host.writeLine(line));
  const logger = logWindow.wrap(deps.logger);
  const mask = (secret: string) => logWindow.command(() => deps.mask(secret));
  const getIdToken = (audience: string) => logWindow.commandAsync(() => deps.getIdToken(audience));
  if (inputs.auth === 'password') {
    throw new InputError('auth-type', 'password', 'oidc, client-secret, managed-identity or default', 'command build calls Azure Resource Manager, which needs an Entra identity');
  }
  if (inputs.auth === 'oidc' && !env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    throw new Error('auth-type oidc needs a GitHub ID token: give the job `permissions: id-token: write`');
  }
  const { context, dockerfile } = await workspacePaths(build, env.GITHUB_WORKSPACE || process.cwd());

  const cloud = getAzureCloud(inputs.environment);
  const armEndpoint = build.armEndpoint ?? cloud.resourceManagerEndpoint;
  const armAudience = build.armEndpoint ? undefined : cloud.resourceManagerAudience;
  const login = registryLogin(inputs, { mask, logger, getIdToken });
  const transport = createRegistryTransport({ credentials: login.credentials, logger, userAgent: 'acrkit-action' });
  const repository = new Repository({ transport, registry: inputs.registry, repository: inputs.image, logger });
  const meta = computeMetadata(inputs, github, {
    now,
    existingTags: await existingTags(repository, signal).catch((err: unknown): never => {
      throw describeFailure(err, { operation: 'list tags', registry: inputs.registry, repository: inputs.image, identity: login.identity });
    }),
  });
  meta.warnings.forEach((w) => logger.warn(w));
  if (meta.tagNames.length === 0 && build.push) throw new Error('the tag rules produced no tag for this event: nothing to push under (add tags rules, or set push: false)');

  const options: CloudBuildOptions = {
    credential: createAzureCredential(inputs, { getIdToken }),
    registry: inputs.registry, subscriptionId: build.subscriptionId, resourceGroup: build.resourceGroup, armEndpoint, armAudience,
    context, dockerfile, imageNames: meta.tagNames.map((t) => `${inputs.image}:${t}`),
    push: build.push, noCache: build.noCache, target: build.target, buildArgs: build.buildArgs, secretBuildArgs: build.secretBuildArgs,
    platforms: build.platforms, timeoutSeconds: build.timeoutSeconds, agentPoolName: build.agentPool, agentCpu: build.agentCpu,
    registryTransport: transport, logger, userAgentPrefix: 'acrkit-action',
    ...testTimings(env),
  };
  const { runCloudBuild } = await host.loadCloudBuild();
  const recorder = buildRunRecorder(host, { armEndpoint, armAudience });
  const result = await logger.group(`Building ${inputs.registry}/${inputs.image} in ACR Tasks (${build.platforms.join(', ')})`, async () => {
    logWindow.open();
    try {
      return await runCloudBuild(options, {
        signal,
        onLog: (line, platform) => logWindow.line(platform ? `[${platform}] ${line}` : line),
        onUpload: uploadProgressLog((line) => logger.info(line)),
        onStatus: (u) => {
          recorder.add(u.registryId, u.runId);
          logWindow.line(`run ${u.runId}${u.platform ? ` (${u.platform})` : ''}: ${u.status}`);
        },
      }).catch((err: unknown): never => { throw describeArmFailure(err, login.identity); });
    } finally {
      logWindow.close();
    }
  });
  recorder.finished();
  host.setOutput('run-id', result.runId);
  const images = result.outputImages.filter((i) => i.digest);
  await host.writeSummary(buildSummaryMarkdown({
    registry: inputs.registry, runId: result.runId, status: result.status, durationMs: result.duration, platforms: build.platforms, images, error: result.runErrorMessage,
  }));
  if (result.status !== 'Succeeded') throw failure(result, host, signal);
  const digest = images[0]?.digest ?? '';
  logger.info(`run ${result.runId} succeeded in ${Math.round(result.duration / 1000)} s${digest ? `: ${inputs.registry}/${inputs.image}@${digest}` : ''}`);
  return {
    outputs: {
      ...metadataOutputs(meta),
      'run-id': result.runId,
      digest,
      image: digest ? `${inputs.registry}/${inputs.image}@${digest}` : '',
      ...(build.push ? {} : { tags: '', 'tag-names': '' }),
    },
  };
}

/** The context directory and Dockerfile as absolute paths; InputError when they are not there. */
async function workspacePaths(build: BuildInputs, workspace: string): Promise<{ context: string; dockerfile?: string }> {
  const context = resolve(workspace, build.context);
  if (!(await stat(context).then((s) => s.isDirectory(), () => false))) throw new InputError('context', build.context, 'a directory (relative to the workspace)', `${context} is not a directory`);
  // As in docker/build-push-action: `file` is relative to the workspace, not to the context.
  const dockerfile = build.file ? resolve(workspace, build.file) : undefined;
  if (dockerfile && !(await stat(dockerfile).then((s) => s.isFile(), () => false))) throw new InputError('file', build.file, 'a Dockerfile path relative to the workspace', `${dockerfile} is not a file`);
  return { context, dockerfile };
}

/** The step's error: the last log lines go into an annotation first (not for a cancel the job asked for). */
function failure(result: CloudBuildResult, host: BuildHost, signal: AbortSignal): Error {
  // main.ts puts the signal's reason ("cancelled (SIGTERM)") in front.
  if (signal.aborted) return new Error(`ACR run ${result.runId} ended ${result.status}`);
  const lines = (result.lastLogLines ?? []).slice(-ANNOTATION_LINES);
  const text = [...lines, ...(result.runErrorMessage ? [result.runErrorMessage] : [])].join('\n');
  host.errorAnnotation(text || `run ${result.runId} ended ${result.status}`, `ACR build ${result.runId} ${result.status}`);
  return new Error(`ACR Tasks run ${result.runId} ended ${result.status}${result.runErrorMessage ? `: ${result.runErrorMessage}` : ''}`);
}

/** Faster polling for tests against the local stand-in (ACRKIT_BUILD_POLL_MS); real ACR keeps the defaults. */
function testTimings(env: NodeJS.ProcessEnv): Partial<CloudBuildOptions> {
  const ms = Number(env.ACRKIT_BUILD_POLL_MS);
  return Number.isInteger(ms) && ms > 0 ? { pollIntervalMs: ms, logBackoff: { baseMs: ms, maxMs: ms * 4 } } : {};
}
