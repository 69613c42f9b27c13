/**
 * Cancels ACR Tasks runs that another process started and could not cancel itself (the Action's main
 * step killed before it reached `runs/{id}/cancel`): the post step calls this with the run ids main
 * saved. Runs already finished are left alone.
 *
 * Reference: RunsGet and RunsCancel in azure-rest-api-specs 2019-06-01-preview.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createArmClient } from './arm-client';
import { cancelRun, getRun } from './runs';
import { isTerminalStatus, type RunStatus } from './run-types';

export interface CancelCloudBuildOptions {
  credential: TokenCredential;
  /** If undefined, `https://management.azure.com`. */
  armEndpoint?: string;
  armAudience?: string;
  /** The registry's ARM id (`/subscriptions/.../registries/name`). */
  registryId: string;
  runIds: string[];
  userAgentPrefix?: string;
  signal?: AbortSignal;
}

/** What happened to one run. */
export interface CancelOutcome {
  runId: string;
  /** `cancelled` when a cancel was sent; `finished` when the run had already ended with `status`. */
  action: 'cancelled' | 'finished';
  status?: RunStatus;
}

/** Sends `cancel` for every run in `runIds` that has not reached a terminal status. */
export async function cancelCloudBuildRuns(options: CancelCloudBuildOptions): Promise<CancelOutcome[]> {
  const arm = createArmClient({ credential: options.credential, endpoint: options.armEndpoint, audience: options.armAudience, userAgentPrefix: options.userAgentPrefix });
  const out: CancelOutcome[] = [];
  for (const runId of options.runIds) {
    const run = await getRun(arm, options.registryId, runId, { signal: options.signal });
    const status = run.properties.status;
    if (isTerminalStatus(status)) {
      out.push({ runId, action: 'finished', status });
      continue;
    }
    await cancelRun(arm, options.registryId, runId, { signal: options.signal });
    out.push({ runId, action: 'cancelled', status });
  }
  return out;
}
