/** Describes the machine a run happened on, for results.json and the README. */
import { cpus, loadavg, totalmem } from 'node:os';
import type { Machine } from './results';

export function describeMachine(): Machine {
  return {
    nproc: cpus().length,
    memTotalGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAvgAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
