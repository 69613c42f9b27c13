/**
 * Runs contenders in interleaved rounds (A B C, A B C, ...) so that a slow patch on a shared machine
 * hits every contender alike. The first `warmup` rounds are run and discarded.
 */
import type { Sample } from './results';

/** Samples of one run keyed by case name (a push round measures first push, second push and mount). */
export type RoundSamples = Record<string, Sample>;

export interface Contender {
  name: string;
  /**
   * Skip the warm-up rounds (for contenders that take minutes and need no warm cache). If undefined,
   * false. The contender still gets every measured round.
   */
  noWarmup?: boolean;
  /** At most this many measured rounds (for contenders whose one run takes minutes). If undefined, all. */
  maxRuns?: number;
  /** One measured round. Throwing marks the contender failed; the others go on. */
  run(round: number): Promise<RoundSamples>;
}

export interface InterleaveOptions {
  warmup: number;
  runs: number;
  /** Called after every run (for progress lines). */
  onRun?: (contender: string, round: number, result: RoundSamples | Error) => void;
  /** Stops after the current run when aborted (and rethrows the reason). */
  signal?: AbortSignal;
}

export interface ContenderOutcome {
  /** Kept samples per case name. */
  samples: Record<string, Sample[]>;
  /** The first error, after which the contender is not run again. */
  error?: Error;
}

/** Runs `warmup + runs` rounds of every contender in turn; returns the kept samples per contender. */
export async function interleave(contenders: Contender[], options: InterleaveOptions): Promise<Map<string, ContenderOutcome>> {
  const outcomes = new Map<string, ContenderOutcome>(contenders.map((c) => [c.name, { samples: {} }]));
  for (let round = 0; round < options.warmup + options.runs; round++) {
    for (const c of contenders) {
      options.signal?.throwIfAborted();
      const outcome = outcomes.get(c.name)!;
      if (outcome.error || (c.noWarmup && round < options.warmup)) continue;
      if (c.maxRuns !== undefined && round >= options.warmup + c.maxRuns) continue;
      try {
        const result = await c.run(round);
        if (round >= options.warmup) {
          for (const [name, sample] of Object.entries(result)) (outcome.samples[name] ??= []).push(sample);
        }
        options.onRun?.(c.name, round, result);
      } catch (e) {
        outcome.error = e instanceof Error ? e : new Error(String(e));
        options.onRun?.(c.name, round, outcome.error);
      }
    }
  }
  return outcomes;
}
