/**
 * `npm run bench`: runs the scenarios (push, browse, action, pack), each interleaving its contenders,
 * prints one table plus the goals, and writes the results JSON. `--quick` shrinks data and rounds so the
 * test suite can smoke-test the harness; its numbers are not evidence.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseBenchArgs, USAGE, type BenchArgs } from './lib/args';
import { BENCH_DIR, OUT_DIR } from './lib/bundle';
import { describeMachine } from './lib/machine';
import { mergeResults, validateResults, type Results, type Scenario } from './lib/results';
import type { ScenarioRunner } from './lib/scenario';
import { renderGoals, renderTable } from './lib/table';
import { runAction } from './scenarios/action';
import { runBrowse } from './scenarios/browse';
import { runPack } from './scenarios/pack';
import { runPush } from './scenarios/push';

const RUNNERS: Record<Scenario, ScenarioRunner> = { push: runPush, browse: runBrowse, action: runAction, pack: runPack };

/** Runs the chosen scenarios and returns the results (also written to disk). */
export async function runBench(args: BenchArgs, signal?: AbortSignal): Promise<Results> {
  const results: Results = {
    startedAt: new Date().toISOString(),
    quick: args.quick,
    scenarios: args.scenarios,
    machine: describeMachine(),
    cases: [],
    goals: [],
    skipped: [],
    facts: { runs: args.runs, warmup: args.warmup },
  };
  const root = await mkdtemp(join(tmpdir(), 'acrkit-bench-'));
  const path = args.resultsPath ?? (args.quick ? join(OUT_DIR, 'results.quick.json') : join(BENCH_DIR, 'results.json'));
  await mkdir(dirname(path), { recursive: true });
  // Written after every scenario too, so an interrupted full run keeps what it measured.
  const save = () => writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  try {
    for (const scenario of args.scenarios) {
      if (signal?.aborted) break;
      const workDir = join(root, scenario);
      await mkdir(workDir, { recursive: true });
      const progress = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
      progress(`scenario ${scenario} starts`);
      try {
        const r = await RUNNERS[scenario]({ quick: args.quick, warmup: args.warmup, runs: args.runs, workDir, progress, signal });
        results.cases.push(...r.cases);
        results.goals.push(...r.goals);
        results.skipped.push(...r.skipped);
        Object.assign(results.facts, r.facts);
      } catch (e) {
        // One broken scenario must not lose the others' numbers.
        results.skipped.push({ scenario, what: 'scenario', reason: `failed: ${e instanceof Error ? e.message : String(e)}` });
      }
      await save();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  results.finishedAt = new Date().toISOString();
  results.machine.loadAvgAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const problems = validateResults(results);
  if (problems.length) throw new Error(`results are malformed: ${problems.join('; ')}`);
  await save();
  return results;
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
    return;
  }
  if (args.merge) {
    const merged = mergeResults(await Promise.all(args.merge.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as Results)));
    const problems = validateResults(merged);
    if (problems.length) throw new Error(`merged results are malformed: ${problems.join('; ')}`);
    await writeFile(args.resultsPath ?? join(BENCH_DIR, 'results.json'), `${JSON.stringify(merged, null, 2)}\n`);
    printReport(merged);
    return;
  }
  if (args.reportFrom) {
    printReport(JSON.parse(await readFile(args.reportFrom, 'utf8')) as Results);
    return;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  printReport(await runBench(args, controller.signal));
}

/** Prints the machine line, the table and the goals of a run. */
function printReport(results: Results): void {
  const m = results.machine;
  console.log(`acrkit bench${results.quick ? ' --quick (smoke test: numbers are not evidence)' : ''}: ${m.nproc} CPUs (${m.cpuModel}), ${m.memTotalGiB} GiB, Node ${m.node}, load ${m.loadAvgAtStart.join(' ')} -> ${m.loadAvgAtEnd?.join(' ')}`);
  console.log(`${results.facts.warmup} warm-up + ${results.facts.runs} measured rounds per contender, interleaved\n`);
  console.log(renderTable(results.cases));
  console.log(`\n${renderGoals(results.goals, results.skipped)}`);
}

if (process.argv[1] && /bench[/\\]run\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    console.error(USAGE);
    process.exitCode = 1;
  });
}
