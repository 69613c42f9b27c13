/**
 * The stand-in's build agent: takes a scheduled DockerBuildRequest through the states ACR reports
 * (Queued → Running → Succeeded/Failed/Canceled/Timeout), really building it: the context is
 * downloaded from Azurite and extracted, `buildah bud` builds it and `buildah push` pushes every
 * image name into the rig's registry, and all output is appended to the run's log blob as it happens.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ContainerClient } from '@azure/storage-blob';
import { withoutCapture } from '../../support/secret-registry';
import { killGroup, type Buildah, type RegistryAccess } from './buildah';
import { LogBlob } from './log-blob';
import type { DockerBuildRequestBody, RunRecord } from './run-record';

const exec = promisify(execFile);

export interface AgentDeps {
  buildah: Buildah;
  access: RegistryAccess;
  sources: ContainerClient;
  logs: ContainerClient;
  workDir: string;
  /** Real milliseconds per requested timeout second (tests shrink 300 s). */
  msPerTimeoutSecond: number;
}

/** Executes one run to its end; never rejects (failures become the run's status). */
export async function executeRun(run: RunRecord, deps: AgentDeps): Promise<void> {
  if (run.status !== 'Queued') return;
  const dir = join(deps.workDir, 'runs', run.runId);
  const log = await LogBlob.create(deps.logs.getAppendBlobClient(`${run.runId}/rawtext.log`));
  run.setStatus('Running');
  run.startTime = new Date();
  const timeoutMs = (run.request.timeout ?? 3600) * deps.msPerTimeoutSecond;
  const timer = setTimeout(() => run.abort('Timeout'), timeoutMs);
  try {
    log.line(`Queued a build with ID: ${run.runId}`);
    log.line('Waiting for an agent...');
    log.line('Downloading source code...');
    const context = join(dir, 'context');
    await mkdir(context, { recursive: true });
    await deps.sources.getBlobClient(run.request.sourceLocation).downloadToFile(join(dir, 'source.tar.gz'));
    await exec('tar', ['-xzf', join(dir, 'source.tar.gz'), '-C', context, '--no-same-owner']);
    log.line('Setting up Docker configuration...');
    const refs = run.request.imageNames.map((name) => `${deps.access.loginServer}/${name.replace('{{.Run.ID}}', run.runId)}`);
    const exit = await runStep(run, deps, log, budArgs(run.request, refs, deps), context);
    if (run.abortedAs) return await finish(run, log, run.abortedAs);
    if (exit !== 0) return await finish(run, log, 'Failed', `failed during run, err: exit status ${exit}`);
    if (run.request.isPushEnabled) {
      for (const ref of refs) {
        log.line(`Pushing image: ${ref}, attempt 1`);
        const digestFile = join(dir, 'digest');
        const code = await runStep(run, deps, log, ['push', ...deps.buildah.registryArgs(), '--digestfile', digestFile, ref, `docker://${ref}`], dir);
        if (run.abortedAs) return await finish(run, log, run.abortedAs);
        if (code !== 0) return await finish(run, log, 'Failed', `failed to push ${ref}: exit status ${code}`);
        const digest = (await readFile(digestFile, 'utf8')).trim();
        const [repository, tag] = splitRef(ref.slice(deps.access.loginServer.length + 1));
        run.outputImages.push({ registry: deps.access.loginServer, repository, tag, digest });
        log.line(`${ref}: digest: ${digest}`);
      }
    }
    await finish(run, log, 'Succeeded');
  } catch (err) {
    await finish(run, log, run.abortedAs ?? 'Error', run.abortedAs ? undefined : `internal error: ${(err as Error).message}`).catch(() => undefined);
  } finally {
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
    await deps.buildah.run(['rmi', '--all', '--force']).catch(() => undefined);
  }
}

function budArgs(request: DockerBuildRequestBody, refs: string[], deps: AgentDeps): string[] {
  const platform = [request.platform.os.toLowerCase(), request.platform.architecture ?? 'amd64', request.platform.variant].filter(Boolean).join('/');
  return [
    'bud', '--isolation', 'chroot', ...deps.buildah.registryArgs(),
    '-f', request.dockerFilePath,
    // Secret arguments are build arguments on the agent too (acr-builder#644); they are never echoed here.
    ...request.arguments.flatMap((a) => ['--build-arg', `${a.name}=${a.value}`]),
    ...(request.target ? ['--target', request.target] : []),
    ...(request.noCache ? ['--no-cache'] : []),
    '--platform', platform,
    ...refs.flatMap((ref) => ['-t', ref]),
    '.',
  ];
}

/** Runs one buildah command, piping its output to the log; resolves the exit code (-1 when killed). */
function runStep(run: RunRecord, deps: AgentDeps, log: LogBlob, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    if (run.abortedAs) return resolve(-1);
    // The build's own output is the run log (in "ACR", here Azurite) and may hold the user's secret build
    // arguments when the Dockerfile prints them, as on ACR; what acrkit shows of it (masked) is captured as
    // the Action's output, so the secret harness does not capture the agent's side (secret-harness.ts).
    const child = withoutCapture(() => deps.buildah.spawn(args, { cwd }));
    run.child = child;
    child.stdout!.on('data', (c: Buffer) => log.write(c));
    child.stderr!.on('data', (c: Buffer) => log.write(c));
    child.once('error', (err) => {
      log.line(`error: ${err.message}`);
      resolve(-1);
    });
    child.once('close', (code) => {
      run.child = undefined;
      resolve(code ?? -1);
    });
    if (run.abortedAs) void killGroup(child);
  });
}

/** Writes the end of the log, sets `Complete` before the status, so a client that sees the status finds the log complete. */
async function finish(run: RunRecord, log: LogBlob, status: RunRecord['status'], message?: string): Promise<void> {
  if (message) log.line(message);
  log.line(`Run ID: ${run.runId} ${status === 'Succeeded' ? 'was successful' : status === 'Failed' ? 'failed' : `ended ${status}`} after ${elapsed(run)}`);
  await log.complete(status === 'Timeout' ? 'TimedOut' : status === 'Error' ? 'InternalError' : status);
  if (message) run.runErrorMessage = message;
  run.finishTime = new Date();
  run.setStatus(status);
}

function elapsed(run: RunRecord): string {
  const s = Math.round((Date.now() - (run.startTime ?? run.createTime).getTime()) / 1000);
  return `${Math.floor(s / 60)}m${s % 60}s`;
}

function splitRef(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return at > 0 ? [ref.slice(0, at), ref.slice(at + 1)] : [ref, 'latest'];
}
