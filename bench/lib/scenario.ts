/** What every scenario gets from the runner and gives back. */
import type { Case, Goal, Scenario, Skip } from './results';

export interface ScenarioContext {
  quick: boolean;
  /** Discarded rounds before the measured ones. */
  warmup: number;
  /** Measured rounds per contender. */
  runs: number;
  /** A scratch directory for this scenario, removed by the runner afterwards. */
  workDir: string;
  /** One progress line on stderr. */
  progress(message: string): void;
  signal?: AbortSignal;
}

export interface ScenarioResult {
  cases: Case[];
  goals: Goal[];
  skipped: Skip[];
  facts: Record<string, unknown>;
}

export type ScenarioRunner = (ctx: ScenarioContext) => Promise<ScenarioResult>;

/** A goal whose status is computed from a ratio or a count, or `not-measured` when an input is missing. */
export function goal(scenario: Scenario, text: string, measured: { ok: boolean; detail: string } | undefined, quick: boolean): Goal {
  if (!measured) return { scenario, goal: text, status: 'not-measured', detail: 'a contender it needs did not run' };
  if (quick) return { scenario, goal: text, status: 'not-measured', detail: `${measured.detail} (quick run: reduced sizes, not evidence)` };
  return { scenario, goal: text, status: measured.ok ? 'pass' : 'miss', detail: measured.detail };
}
