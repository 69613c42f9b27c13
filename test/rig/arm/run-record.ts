/**
 * The stand-in's state for one run, and its JSON as ARM returns it (shape of the RunsGet example in
 * azure-rest-api-specs 2019-06-01-preview).
 */
import type { ChildProcess } from 'node:child_process';
import { killGroup } from './buildah';

export type RunStatus = 'Queued' | 'Started' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled' | 'Error' | 'Timeout';

/** The request body fields the stand-in uses (checked on arrival). */
export interface DockerBuildRequestBody {
  type: 'DockerBuildRequest';
  imageNames: string[];
  isPushEnabled: boolean;
  noCache?: boolean;
  dockerFilePath: string;
  target?: string;
  arguments: Array<{ name: string; value: string; isSecret?: boolean }>;
  timeout?: number;
  platform: { os: string; architecture?: string; variant?: string };
  agentConfiguration?: { cpu?: number };
  agentPoolName?: string;
  sourceLocation: string;
}

export interface OutputImage {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

const TERMINAL = new Set<RunStatus>(['Succeeded', 'Failed', 'Canceled', 'Error', 'Timeout']);

export class RunRecord {
  status: RunStatus = 'Queued';
  readonly createTime = new Date();
  lastUpdatedTime = new Date();
  startTime?: Date;
  finishTime?: Date;
  outputImages: OutputImage[] = [];
  runErrorMessage?: string;
  /** The buildah process of the current step. */
  child?: ChildProcess;
  /** Set by cancel or timeout: the status the run will end with. */
  abortedAs?: 'Canceled' | 'Timeout';
  /** Statuses in the order they were taken (for tests). */
  readonly history: RunStatus[] = ['Queued'];

  constructor(
    readonly runId: string,
    readonly registryResourceId: string,
    readonly request: DockerBuildRequestBody,
  ) {}

  get terminal(): boolean {
    return TERMINAL.has(this.status);
  }

  setStatus(status: RunStatus): void {
    this.status = status;
    this.lastUpdatedTime = new Date();
    this.history.push(status);
  }

  /** Cancels or times out the run: kills buildah's process group; a queued run ends at once. */
  async abort(as: 'Canceled' | 'Timeout'): Promise<void> {
    if (this.terminal || this.abortedAs) return;
    this.abortedAs = as;
    if (this.status === 'Queued') {
      this.finishTime = new Date();
      this.setStatus(as);
      return;
    }
    if (this.child) await killGroup(this.child);
  }

  toJson(): unknown {
    const iso = (d?: Date) => d?.toISOString();
    return {
      type: 'Microsoft.ContainerRegistry/registries/runs',
      id: `${this.registryResourceId}/runs/${this.runId}`,
      name: this.runId,
      properties: {
        runId: this.runId,
        status: this.status,
        lastUpdatedTime: iso(this.lastUpdatedTime),
        runType: 'QuickBuild',
        createTime: iso(this.createTime),
        ...(this.startTime ? { startTime: iso(this.startTime) } : {}),
        ...(this.finishTime ? { finishTime: iso(this.finishTime) } : {}),
        outputImages: this.outputImages,
        platform: this.request.platform,
        agentConfiguration: { cpu: this.request.agentConfiguration?.cpu ?? 2 },
        ...(this.request.agentPoolName ? { agentPoolName: this.request.agentPoolName } : {}),
        ...(this.runErrorMessage ? { runErrorMessage: this.runErrorMessage } : {}),
        provisioningState: 'Succeeded',
        isArchiveEnabled: false,
      },
    };
  }
}
