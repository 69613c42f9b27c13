/**
 * The ACR Tasks operations a quick build needs, one function per REST operation.
 *
 * Reference: azure-rest-api-specs containerregistry 2019-06-01-preview examples
 * (RegistriesGetBuildSourceUploadUrl, RegistriesScheduleRun, RunsGet, RunsGetLogSasUrl, RunsCancel).
 */
import type { ArmClient } from './arm-client';
import { TASKS_API_VERSION, type DockerBuildRequest, type Run, type RunGetLogResult, type SourceUploadDefinition } from './run-types';

export interface CallOptions {
  signal?: AbortSignal;
}

/** `POST {registryId}/listBuildSourceUploadUrl` → a SAS upload URL and the relative path to schedule with. */
export async function getBuildSourceUploadUrl(arm: ArmClient, registryId: string, options: CallOptions = {}): Promise<Required<SourceUploadDefinition>> {
  const result = await arm.send<SourceUploadDefinition>({ method: 'POST', path: `${registryId}/listBuildSourceUploadUrl`, apiVersion: TASKS_API_VERSION, signal: options.signal });
  if (!result?.uploadUrl || !result.relativePath) throw new Error('listBuildSourceUploadUrl answered without uploadUrl or relativePath');
  return { uploadUrl: result.uploadUrl, relativePath: result.relativePath };
}

/** `POST {registryId}/scheduleRun`. ARM answers 200 with the queued run (202 without body is polled by getRun). */
export async function scheduleRun(arm: ArmClient, registryId: string, request: DockerBuildRequest, options: CallOptions = {}): Promise<Run> {
  const run = await arm.send<Run>({ method: 'POST', path: `${registryId}/scheduleRun`, apiVersion: TASKS_API_VERSION, body: request, signal: options.signal });
  if (!run?.properties?.runId) throw new Error('scheduleRun answered without a run id');
  return run;
}

/** `GET {registryId}/runs/{runId}`. */
export async function getRun(arm: ArmClient, registryId: string, runId: string, options: CallOptions = {}): Promise<Run> {
  return arm.send<Run>({ method: 'GET', path: `${registryId}/runs/${encodeURIComponent(runId)}`, apiVersion: TASKS_API_VERSION, signal: options.signal });
}

/** `POST {registryId}/runs/{runId}/listLogSasUrl` → the SAS URL of the run's log append blob. */
export async function getLogSasUrl(arm: ArmClient, registryId: string, runId: string, options: CallOptions = {}): Promise<RunGetLogResult> {
  return arm.send<RunGetLogResult>({ method: 'POST', path: `${registryId}/runs/${encodeURIComponent(runId)}/listLogSasUrl`, apiVersion: TASKS_API_VERSION, signal: options.signal });
}

/** `POST {registryId}/runs/{runId}/cancel` (200 or 202). */
export async function cancelRun(arm: ArmClient, registryId: string, runId: string, options: CallOptions = {}): Promise<void> {
  await arm.send<unknown>({ method: 'POST', path: `${registryId}/runs/${encodeURIComponent(runId)}/cancel`, apiVersion: TASKS_API_VERSION, signal: options.signal });
}
