/**
 * Schedules one ACR Tasks run and follows it to the end: polls the run, streams its log in parallel,
 * and cancels the run in Azure when the caller's signal aborts (az acr build only stops printing and
 * leaves the run going; see anchors-actions.md §3).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { redactSecrets } from '../../http/redact';
import { silentLogger, type Logger } from '../../log';
import type { ArmClient } from './arm-client';
import { streamRunLog, type LogBackoff } from './log-stream';
import { cancelRun, getLogSasUrl, getRun, scheduleRun } from './runs';
import { isTerminalStatus, type DockerBuildRequest, type Run, type RunStatus } from './run-types';

export interface FollowRunOptions {
  arm: ArmClient;
  registryId: string;
  request: DockerBuildRequest;
  /** Label passed to the hooks (the platform in a multi-platform build). */
  label: string;
  onLog?: (line: string, label: string) => void;
  onStatus?: (update: { runId: string; status: RunStatus; label: string }) => void;
  /** Wait between run polls. If undefined, 3,000 ms. */
  pollIntervalMs?: number;
  logBackoff?: LogBackoff;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** How long to wait for the run to settle after cancelling. If undefined, 60,000 ms. */
  cancelWaitMs?: number;
  /** Lines kept for a failure report. If undefined, 30. */
  tailLines?: number;
  logger?: Logger;
  signal?: AbortSignal;
}

export interface FollowedRun {
  run: Run;
  /** The last log lines, secrets masked. */
  tail: string[];
  /** True when the caller's signal asked for the cancel. */
  cancelled: boolean;
}

/** Runs the request to a terminal status. Rejects only if scheduling fails or the run cannot be read. */
export async function followRun(options: FollowRunOptions): Promise<FollowedRun> {
  const { arm, registryId, label, signal } = options;
  const logger = options.logger ?? silentLogger;
  const secrets = options.request.arguments.filter((a) => a.isSecret && a.value).map((a) => a.value);
  const sleep = options.sleep ?? ((ms: number, s: AbortSignal) => delay(ms, undefined, { signal: s }));
  let run = await scheduleRun(arm, registryId, options.request, { signal });
  const runId = run.properties.runId;
  let status = run.properties.status ?? 'Queued';
  options.onStatus?.({ runId, status, label });

  const tail: string[] = [];
  const keep = options.tailLines ?? 30;
  const logStop = new AbortController();
  let markFinished!: () => void;
  const runFinished = new Promise<void>((resolve) => (markFinished = resolve));
  const logDone = (async () => {
    const { logLink } = await getLogSasUrl(arm, registryId, runId, { signal: logStop.signal });
    if (!logLink) return;
    await streamRunLog({
      logUrl: logLink, secrets, runFinished, signal: logStop.signal, backoff: options.logBackoff, sleep: options.sleep,
      onLine: (line) => {
        tail.push(line);
        if (tail.length > keep) tail.shift();
        options.onLog?.(line, label);
      },
    });
  })().catch((err: unknown) => {
    if (!logStop.signal.aborted) logger.warn(`run ${runId}: log streaming stopped: ${redactSecrets((err as Error).message, secrets)}`);
  });

  let cancelled = false;
  try {
    while (!isTerminalStatus(status)) {
      await sleep(options.pollIntervalMs ?? 3000, signal ?? new AbortController().signal);
      run = await getRun(arm, registryId, runId, { signal });
      if (run.properties.status && run.properties.status !== status) {
        status = run.properties.status;
        options.onStatus?.({ runId, status, label });
      }
    }
  } catch (err) {
    if (!signal?.aborted) {
      logStop.abort();
      throw err;
    }
    cancelled = true;
    logStop.abort();
    run = await cancelAndSettle(options, runId);
    status = run.properties.status ?? status;
    options.onStatus?.({ runId, status, label });
  }
  markFinished();
  await logDone;
  if (run.properties.runErrorMessage) run.properties.runErrorMessage = redactSecrets(run.properties.runErrorMessage, secrets);
  return { run, tail, cancelled };
}

/** Cancels the run in Azure (the caller's signal is already aborted, so these calls get their own deadline). */
async function cancelAndSettle(options: FollowRunOptions, runId: string): Promise<Run> {
  const { arm, registryId } = options;
  const wait = options.cancelWaitMs ?? 60_000;
  const deadline = AbortSignal.timeout(wait);
  await cancelRun(arm, registryId, runId, { signal: deadline });
  for (;;) {
    const run = await getRun(arm, registryId, runId, { signal: deadline });
    if (isTerminalStatus(run.properties.status)) return run;
    await delay(Math.min(options.pollIntervalMs ?? 3000, 1000), undefined, { signal: deadline });
  }
}
