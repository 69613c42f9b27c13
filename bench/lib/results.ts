/**
 * The shape of `bench/results.json` and the row/case builders. One file per run holds the machine,
 * every case's rows (median/min/max seconds, MiB/s, peak RSS, requests, ratio to the reference), the
 * goals with pass/miss, and what was skipped and why.
 */
import { maxOf, medianOf, summarize } from './stats';

/** One measured run of one contender. */
export interface Sample {
  seconds: number;
  peakRssMiB?: number;
  /** The client's user + system CPU seconds. */
  cpuSeconds?: number;
  /** The server's (registry's) CPU seconds during the run, where measured. */
  serverCpuSeconds?: number;
  /** HTTP requests the server saw during the run. */
  requests?: number;
  /** Requests by method (HEAD, GET, POST, PATCH, PUT ...), where counted. */
  requestsByMethod?: Record<string, number>;
  /** Of `requests`, those to the token endpoints (/oauth2/*), where counted. */
  tokenRequests?: number;
}

export interface Row {
  contender: string;
  runs: number;
  median: number;
  min: number;
  max: number;
  /** Payload MiB divided by the median time, where the case has a payload. */
  mibPerSec?: number;
  peakRssMiB?: number;
  /** Median client CPU seconds. */
  cpuSeconds?: number;
  /** Median server (registry) CPU seconds. */
  serverCpuSeconds?: number;
  /** Median request count over the runs. */
  requests?: number;
  requestsByMethod?: Record<string, number>;
  /** Median of the token-endpoint requests among `requests`. */
  tokenRequests?: number;
  /** median / reference median; 1 for the reference itself. */
  ratio?: number;
  note?: string;
}

export interface Case {
  scenario: Scenario;
  name: string;
  /** The contender the ratio column compares against. */
  reference?: string;
  payloadBytes?: number;
  rows: Row[];
}

export type GoalStatus = 'pass' | 'miss' | 'not-measured';

export interface Goal {
  scenario: Scenario;
  goal: string;
  status: GoalStatus;
  detail: string;
}

export interface Skip {
  scenario: Scenario;
  what: string;
  reason: string;
}

export const SCENARIOS = ['push', 'browse', 'action', 'pack'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface Machine {
  nproc: number;
  memTotalGiB: number;
  cpuModel: string;
  node: string;
  loadAvgAtStart: number[];
  loadAvgAtEnd?: number[];
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  quick: boolean;
  scenarios: Scenario[];
  machine: Machine;
  cases: Case[];
  goals: Goal[];
  skipped: Skip[];
  /** Free-form measurements that are not rows (bundle sizes, file counts, profiles). */
  facts: Record<string, unknown>;
}

const MiB = 1024 * 1024;

/** Builds a row from samples (warm-up already dropped). */
export function makeRow(contender: string, samples: Sample[], payloadBytes?: number, note?: string): Row {
  const { median, min, max } = summarize(samples.map((s) => s.seconds));
  const methods = new Set(samples.flatMap((s) => Object.keys(s.requestsByMethod ?? {})));
  const byMethod = methods.size
    ? Object.fromEntries([...methods].sort().map((m) => [m, medianOf(samples.map((s) => s.requestsByMethod?.[m] ?? 0)) ?? 0]))
    : undefined;
  return {
    contender,
    runs: samples.length,
    median,
    min,
    max,
    mibPerSec: payloadBytes ? payloadBytes / MiB / median : undefined,
    peakRssMiB: maxOf(samples.map((s) => s.peakRssMiB)),
    cpuSeconds: medianOf(samples.map((s) => s.cpuSeconds)),
    serverCpuSeconds: medianOf(samples.map((s) => s.serverCpuSeconds)),
    requests: medianOf(samples.map((s) => s.requests)),
    requestsByMethod: byMethod,
    tokenRequests: medianOf(samples.map((s) => s.tokenRequests)),
    note,
  };
}

/** Fills in each row's ratio to the case's reference row (left undefined when the reference is absent). */
export function withRatios(c: Case): Case {
  const ref = c.rows.find((r) => r.contender === c.reference);
  return { ...c, rows: c.rows.map((r) => ({ ...r, ratio: ref ? r.median / ref.median : undefined })) };
}

/** Checks the structure of a results object; returns a list of problems (empty when well formed). */
export function validateResults(value: unknown): string[] {
  const problems: string[] = [];
  const r = value as Partial<Results>;
  if (typeof r !== 'object' || r === null) return ['results: expected an object'];
  if (typeof r.startedAt !== 'string') problems.push('startedAt: expected an ISO time string');
  if (typeof r.quick !== 'boolean') problems.push('quick: expected a boolean');
  if (!r.machine || typeof r.machine.nproc !== 'number') problems.push('machine.nproc: expected a number');
  if (!Array.isArray(r.cases)) problems.push('cases: expected an array');
  if (!Array.isArray(r.goals)) problems.push('goals: expected an array');
  if (!Array.isArray(r.skipped)) problems.push('skipped: expected an array');
  for (const [i, c] of (r.cases ?? []).entries()) {
    if (!SCENARIOS.includes(c.scenario)) problems.push(`cases[${i}].scenario: unknown ${String(c.scenario)}`);
    if (!Array.isArray(c.rows) || c.rows.length === 0) problems.push(`cases[${i}].rows: expected at least one row`);
    for (const [j, row] of (c.rows ?? []).entries()) {
      for (const k of ['median', 'min', 'max'] as const) {
        if (typeof row[k] !== 'number' || !(row[k] >= 0)) problems.push(`cases[${i}].rows[${j}].${k}: expected seconds >= 0`);
      }
      if (!(row.min <= row.median && row.median <= row.max)) problems.push(`cases[${i}].rows[${j}]: expected min <= median <= max`);
    }
  }
  for (const [i, g] of (r.goals ?? []).entries()) {
    if (!['pass', 'miss', 'not-measured'].includes(g.status)) problems.push(`goals[${i}].status: unknown ${String(g.status)}`);
  }
  return problems;
}

/**
 * Combines runs scenario by scenario: for each scenario, the last file that ran it supplies its cases,
 * goals, skips and facts (so a scenario re-run on its own replaces the failed or missing one).
 */
export function mergeResults(runs: Results[]): Results {
  if (runs.length === 0) throw new Error('merge: expected at least one results file');
  const owner = new Map<Scenario, Results>();
  for (const r of runs) for (const s of r.scenarios) if (r.cases.some((c) => c.scenario === s) || !owner.has(s)) owner.set(s, r);
  const scenarios = SCENARIOS.filter((s) => owner.has(s));
  const pick = <T extends { scenario: Scenario }>(get: (r: Results) => T[]) => scenarios.flatMap((s) => get(owner.get(s)!).filter((x) => x.scenario === s));
  const facts: Record<string, unknown> = {};
  for (const s of scenarios) {
    const r = owner.get(s)!;
    for (const [k, v] of Object.entries(r.facts)) if (k.startsWith(`${s}.`) || k.startsWith(`profile.${s}`)) facts[k] = v;
    facts[`${s}.run`] = { startedAt: r.startedAt, finishedAt: r.finishedAt, runs: r.facts.runs, warmup: r.facts.warmup, loadAvg: [r.machine.loadAvgAtStart, r.machine.loadAvgAtEnd] };
  }
  return {
    ...runs[0]!,
    startedAt: runs.map((r) => r.startedAt).sort()[0]!,
    finishedAt: runs.map((r) => r.finishedAt ?? r.startedAt).sort().at(-1),
    quick: runs.some((r) => r.quick),
    scenarios,
    cases: pick((r) => r.cases),
    goals: pick((r) => r.goals),
    skipped: pick((r) => r.skipped),
    facts: { ...runs[0]!.facts, ...facts, mergedFrom: runs.length },
  };
}
