/** Bounded parallelism: never more than `limit` in flight, and the first failure stops the rest. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runBounded } from '../../src/registry/run-bounded';

describe('runBounded', () => {
  it('keeps at most `limit` tasks in flight and runs every item once', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await runBounded([...Array(20).keys()], 4, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await sleep(i % 3);
      inFlight--;
      done.push(i);
    });
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('aborts the tasks in flight and starts no more after the first failure, rethrowing it', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const err = await runBounded([...Array(10).keys()], 3, async (i, signal) => {
      started.push(i);
      if (i === 1) throw new Error('boom');
      await sleep(50, undefined, { signal }).catch(() => aborted.push(i));
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(started).toEqual([0, 1, 2]);
    expect(aborted.sort()).toEqual([0, 2]);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(runBounded([1], 0, async () => {})).rejects.toThrow(/positive integer, got 0/);
  });
});
