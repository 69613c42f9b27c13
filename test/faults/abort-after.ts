/**
 * The cancellation check every fault test makes: start work with a signal, abort it once it is stuck,
 * and see how it ended and how long after the abort (the issue asks for "promptly": under 2 s here).
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface AbortOutcome {
  /** True when the work finished normally despite the abort. */
  resolved: boolean;
  error?: Error;
  /** Milliseconds from the abort to the work's end. */
  msAfterAbort: number;
}

/** Runs `work`, aborts its signal after `afterMs`, and waits for it to end. */
export async function abortAfter(afterMs: number, work: (signal: AbortSignal) => Promise<unknown>): Promise<AbortOutcome> {
  const controller = new AbortController();
  const settled = work(controller.signal).then(
    () => ({ resolved: true, at: Date.now() }),
    (error: Error) => ({ resolved: false, error, at: Date.now() }),
  );
  await delay(afterMs);
  const aborted = Date.now();
  controller.abort();
  const { at, ...outcome } = await settled;
  return { ...outcome, msAfterAbort: at - aborted };
}
