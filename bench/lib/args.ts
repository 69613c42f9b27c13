/** Command-line options of `npm run bench`. */
import { SCENARIOS, type Scenario } from './results';

export interface BenchArgs {
  quick: boolean;
  scenarios: Scenario[];
  /** Measured rounds; if undefined, 5 (quick: 1). */
  runs: number;
  /** Discarded rounds first; if undefined, 1 (quick: 0). */
  warmup: number;
  /** Where to write the results; if undefined, bench/results.json (quick: bench/out/results.quick.json). */
  resultsPath?: string;
  /** Print the table of an existing results file instead of running. */
  reportFrom?: string;
  /** Combine these results files (scenario by scenario, later files win) into `resultsPath` instead of running. */
  merge?: string[];
}

export const USAGE = 'usage: npm run bench -- [--quick] [--scenario push|browse|action|pack]... [--runs N] [--warmup N] [--results FILE] | --report FILE | --merge FILE... --results OUT';

/** Parses argv; `--scenario` may repeat or take a comma list. Throws with the usage on bad input. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  let quick = false;
  const scenarios: Scenario[] = [];
  let runs: number | undefined;
  let warmup: number | undefined;
  let resultsPath: string | undefined;
  let reportFrom: string | undefined;
  let merge: string[] | undefined;
  const count = (flag: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} ${v ?? ''}: expected an integer >= ${min}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--scenario') {
      for (const s of (argv[++i] ?? '').split(',')) {
        if (!SCENARIOS.includes(s as Scenario)) throw new Error(`--scenario ${s}: expected one of ${SCENARIOS.join(', ')}\n${USAGE}`);
        if (!scenarios.includes(s as Scenario)) scenarios.push(s as Scenario);
      }
    } else if (a === '--runs') runs = count(a, argv[++i], 1);
    else if (a === '--warmup') warmup = count(a, argv[++i], 0);
    else if (a === '--results') resultsPath = argv[++i];
    else if (a === '--report') reportFrom = argv[++i];
    else if (a === '--merge') {
      while (argv[i + 1] && !argv[i + 1]!.startsWith('--')) (merge ??= []).push(argv[++i]!);
    }
    else throw new Error(`argument ${a}: not understood\n${USAGE}`);
  }
  return {
    quick,
    scenarios: scenarios.length ? scenarios : [...SCENARIOS],
    runs: runs ?? (quick ? 1 : 5),
    warmup: warmup ?? (quick ? 0 : 1),
    resultsPath,
    reportFrom,
    merge,
  };
}
