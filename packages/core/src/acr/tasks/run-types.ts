/**
 * The ACR Tasks wire types acrkit uses (api-version 2019-06-01-preview), as the REST spec names them.
 *
 * Reference: azure-rest-api-specs `specification/containerregistry/resource-manager/Microsoft.ContainerRegistry/
 * preview/2019-06-01-preview/containerregistry_build.json` (DockerBuildRequest, Run, SourceUploadDefinition, RunGetLogResult).
 */

/** The API version that carries scheduleRun, runs, listBuildSourceUploadUrl and listLogSasUrl. */
export const TASKS_API_VERSION = '2019-06-01-preview';

/** Run status values; `Succeeded|Failed|Canceled|Error|Timeout` are terminal (as az CLI decides). */
export type RunStatus = 'Queued' | 'Started' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled' | 'Error' | 'Timeout';

const TERMINAL: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Canceled', 'Error', 'Timeout']);

/** Whether a run in `status` will not change any more. */
export function isTerminalStatus(status: string | undefined): boolean {
  return status !== undefined && TERMINAL.has(status);
}

export interface PlatformProperties {
  os: 'Linux' | 'Windows' | string;
  architecture?: 'amd64' | 'x86' | '386' | 'arm' | 'arm64' | string;
  variant?: 'v6' | 'v7' | 'v8' | string;
}

export interface BuildArgument {
  type?: 'DockerBuildArgument';
  name: string;
  value: string;
  isSecret: boolean;
}

export interface DockerBuildRequest {
  type: 'DockerBuildRequest';
  imageNames: string[];
  isPushEnabled: boolean;
  noCache: boolean;
  dockerFilePath: string;
  target?: string;
  arguments: BuildArgument[];
  /** Seconds, 300..28800. */
  timeout?: number;
  platform: PlatformProperties;
  agentConfiguration?: { cpu: number };
  agentPoolName?: string;
  sourceLocation: string;
  isArchiveEnabled?: boolean;
}

export interface ImageDescriptor {
  registry?: string;
  repository?: string;
  tag?: string;
  digest?: string;
}

export interface RunProperties {
  runId: string;
  status?: RunStatus;
  lastUpdatedTime?: string;
  runType?: string;
  createTime?: string;
  startTime?: string;
  finishTime?: string;
  outputImages?: ImageDescriptor[];
  runErrorMessage?: string;
  provisioningState?: string;
  platform?: PlatformProperties;
  agentPoolName?: string;
}

/** A Run resource (`Microsoft.ContainerRegistry/registries/runs`). */
export interface Run {
  id?: string;
  name?: string;
  type?: string;
  properties: RunProperties;
}

export interface SourceUploadDefinition {
  uploadUrl?: string;
  relativePath?: string;
}

export interface RunGetLogResult {
  logLink?: string;
  logArtifactLink?: string;
}
