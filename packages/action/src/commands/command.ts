/** What every command gets and gives back; main.ts turns the result into outputs, env, state and summary. */
import type { Logger } from '@acrkit/core/log';
import type { TagContext } from '@acrkit/core/tags/tag-context';
import type { LoginRecord } from '../docker-config';
import type { Inputs } from '../inputs';

export interface CommandDeps {
  inputs: Inputs;
  github: TagContext;
  logger: Logger;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Asks the runner for a GitHub ID token (core.getIDToken). */
  getIdToken: (audience: string) => Promise<string>;
  /** Masks a derived secret in the log at once. */
  mask: (secret: string) => void;
  env: NodeJS.ProcessEnv;
  now: Date;
}

/** One row of the job summary table. */
export interface SummaryRow {
  image: string;
  tags: string[];
  digest?: string;
  platforms?: string[];
  size?: number;
}

export interface CommandResult {
  outputs: Record<string, string>;
  /** Variables to export to later steps (DOCKER_CONFIG). */
  env?: Record<string, string>;
  /** What login wrote, for the post step. */
  login?: LoginRecord;
  summary?: SummaryRow[];
}

export type CommandFunc = (deps: CommandDeps) => Promise<CommandResult>;
