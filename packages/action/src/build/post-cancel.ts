/**
 * The post step's part of `command: build`: when main ended without seeing its ACR runs finish (the
 * runner killed it after SIGINT/SIGTERM, or it crashed), cancel the runs still going, so a cancelled
 * workflow leaves nothing building in Azure. Never fails the job.
 */
import * as core from '@actions/core';
import { createAzureCredential } from '../azure-credential';
import { getInputs } from '../context';
import { unfinishedBuild } from './build-state';
import { loadCloudBuild } from './load-cloud-build';

/** How long post waits for ARM before giving up. */
const CANCEL_DEADLINE_MS = 60_000;

/** Cancels the runs main saved in its state and did not see finish; a no-op otherwise. */
export async function cancelUnfinishedBuild(): Promise<void> {
  const state = unfinishedBuild(core);
  if (!state) return;
  try {
    const inputs = getInputs();
    const credential = createAzureCredential(inputs, { getIdToken: (audience) => core.getIDToken(audience) });
    const { cancelCloudBuildRuns } = await loadCloudBuild();
    const outcomes = await cancelCloudBuildRuns({
      credential, armEndpoint: state.armEndpoint, armAudience: state.armAudience, registryId: state.registryId, runIds: state.runIds,
      userAgentPrefix: 'acrkit-action', signal: AbortSignal.timeout(CANCEL_DEADLINE_MS),
    });
    for (const o of outcomes) {
      core.info(o.action === 'cancelled' ? `cancelled ACR run ${o.runId} (it was ${o.status ?? 'running'} after the main step ended)` : `ACR run ${o.runId} had already ended ${o.status}`);
    }
  } catch (err) {
    core.warning(`could not cancel ACR run(s) ${state.runIds.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
