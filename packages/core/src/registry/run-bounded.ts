/**
 * Runs async work over a list with at most `limit` tasks in flight, failing fast: the first error
 * aborts the shared signal (so uploads in flight stop) and is the one thrown.
 */

/**
 * Calls `task(item, signal)` for every item, `limit` at a time. `signal` aborts when `outer` aborts
 * or any task fails; the first failure is rethrown after every started task has settled.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, signal: AbortSignal) => Promise<void>,
  outer?: AbortSignal,
): Promise<void> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (!failure && next < items.length) {
      signal.throwIfAborted();
      const item = items[next++] as T;
      try {
        await task(item, signal);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker)).catch((error: unknown) => {
    failure ??= { error };
  });
  if (failure) throw failure.error;
}
