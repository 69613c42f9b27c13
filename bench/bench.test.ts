/**
 * Smoke test of the benchmark harness: `bench/run.ts --quick` over every scenario must produce a
 * well-formed results object and the table. It never asserts timings (speed is measured by
 * `npm run bench`, not asserted in tests). Plus unit tests of the pure parts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateOciLayout, parseSize } from './gen-oci-layout';
import { parseBenchArgs } from './lib/args';
import { interleave } from './lib/interleave';
import { summarizeProfile } from './lib/profile';
import { makeRow, mergeResults, validateResults, withRatios, type Results } from './lib/results';
import { summarize } from './lib/stats';
import { renderTable } from './lib/table';

const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'acrkit-bench-test-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('bench harness pure parts', () => {
  it('summarizes samples with the median of the middle two for even counts', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(() => summarize([])).toThrow(/at least one sample/);
  });

  it('parses arguments and rejects unknown scenarios with the usage', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ quick: true, runs: 1, warmup: 0, scenarios: ['push', 'browse', 'action', 'pack'] });
    expect(parseBenchArgs(['--scenario', 'push,pack', '--runs', '7'])).toMatchObject({ quick: false, runs: 7, warmup: 1, scenarios: ['push', 'pack'] });
    expect(() => parseBenchArgs(['--scenario', 'pull'])).toThrow(/--scenario pull: expected one of push, browse, action, pack/);
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs 0: expected an integer >= 1/);
  });

  it('interleaves contenders round by round and drops the warm-up', async () => {
    const order: string[] = [];
    const contender = (name: string) => ({ name, run: async (round: number) => { order.push(`${name}${round}`); return { c: { seconds: round } }; } });
    const out = await interleave([contender('A'), contender('B')], { warmup: 1, runs: 2 });
    expect(order).toEqual(['A0', 'B0', 'A1', 'B1', 'A2', 'B2']);
    expect(out.get('A')!.samples.c!.map((s) => s.seconds)).toEqual([1, 2]);
  });

  it('gives heavy contenders no warm-up and at most maxRuns rounds', async () => {
    const order: string[] = [];
    const contender = (name: string, extra = {}) => ({ name, ...extra, run: async (round: number) => { order.push(`${name}${round}`); return { c: { seconds: round } }; } });
    await interleave([contender('A'), contender('H', { noWarmup: true, maxRuns: 1 })], { warmup: 1, runs: 3 });
    expect(order).toEqual(['A0', 'A1', 'H1', 'A2', 'A3']);
  });

  it('merges runs scenario by scenario, the run that measured a scenario winning', () => {
    const base = { startedAt: 't1', quick: false, machine: { nproc: 2, memTotalGiB: 1, cpuModel: 'x', node: 'v20', loadAvgAtStart: [1] }, goals: [], facts: {} };
    const row = makeRow('x', [{ seconds: 1 }]);
    const a = { ...base, scenarios: ['push', 'browse'], cases: [{ scenario: 'push', name: 'p', rows: [row] }], skipped: [{ scenario: 'browse', what: 'scenario', reason: 'failed: interrupted' }] } as Results;
    const b = { ...base, startedAt: 't0', scenarios: ['browse'], cases: [{ scenario: 'browse', name: 'b', rows: [row] }], skipped: [] } as Results;
    const merged = mergeResults([a, b]);
    expect(merged.cases.map((c) => c.name)).toEqual(['p', 'b']);
    expect(merged.skipped).toEqual([]);
    expect(merged.startedAt).toBe('t0');
    expect(validateResults(merged)).toEqual([]);
  });

  it('attributes profile self time to the bundled module it came from', async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'x.cjs');
    await writeFile(bundle, ['"use strict";', '// node_modules/undici/lib/core/a.js', 'function a() {}', '// packages/core/src/registry/push-image.ts', 'function b() {}'].join('\n'));
    const url = pathToFileURL(bundle).href;
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'a', url, lineNumber: 2 } },
        { id: 3, callFrame: { functionName: 'b', url, lineNumber: 4 } },
      ],
      samples: [1, 2, 3, 3, 3],
      timeDeltas: [5000, 1000, 1000, 1000, 1000],
    };
    const summary = await summarizeProfile(profile, 1);
    expect(summary.top).toEqual([
      { where: 'packages/core/src/registry/push-image.ts', ms: 3, percent: 75 },
      { where: 'undici', ms: 1, percent: 25 },
    ]);
  });

  it('computes ratios to the reference and MiB/s from the payload', () => {
    const c = withRatios({ scenario: 'push', name: 'x', reference: 'ref', rows: [makeRow('ref', [{ seconds: 2 }]), makeRow('me', [{ seconds: 1 }, { seconds: 1 }], 1024 * 1024)] });
    expect(c.rows.map((r) => r.ratio)).toEqual([1, 0.5]);
    expect(c.rows[1]!.mibPerSec).toBe(1);
    expect(renderTable([c])).toMatch(/\| push +\| x +\| me +\| 1\.00 /);
  });
});

describe('gen-oci-layout', () => {
  it('is deterministic and matches the reference generator byte for byte', async () => {
    // Digest from ../shared/tools/gen-oci-layout.mjs --layers 3 --size 64K --seed x (gzip level 1).
    const layout = await generateOciLayout({ out: await tempDir(), layers: 3, sizeBytes: parseSize('64K'), seed: 'x' });
    expect(layout.manifestDigest).toBe('sha256:17854f86f511f196c450d98c1bbdcd6907dc1178d0c8ce7989aa2ac5904da6bb');
    const other = await generateOciLayout({ out: await tempDir(), layers: 3, sizeBytes: 65536, seed: 'y' });
    expect(other.layers.map((l) => l.digest)).not.toContain(layout.layers[0]!.digest);
  });

  it('rejects bad sizes with the input named', () => {
    expect(() => parseSize('12X')).toThrow(/size "12X": expected a byte count/);
  });
});

describe('npm run bench -- --quick', () => {
  it('runs every scenario and writes well-formed results and one table', { timeout: 300_000 }, async () => {
    const resultsPath = join(await tempDir(), 'results.json');
    const { stdout } = await run('npx', ['tsx', 'bench/run.ts', '--quick', '--results', resultsPath], { cwd: join(import.meta.dirname, '..'), maxBuffer: 16 << 20 });
    const results = JSON.parse(await readFile(resultsPath, 'utf8')) as Results;
    expect(validateResults(results)).toEqual([]);
    expect(results.quick).toBe(true);
    expect(stdout).toContain('| scenario | case');
    for (const scenario of results.scenarios) {
      // Each scenario either measured something or says why not (a piece not built yet).
      const measured = results.cases.some((c) => c.scenario === scenario);
      const explained = results.skipped.some((s) => s.scenario === scenario);
      expect(measured || explained, scenario).toBe(true);
    }
    for (const c of results.cases) expect(stdout).toContain(c.name);
    // A quick run is never evidence: no goal may claim pass or miss from it, except the bundle sizes.
    expect(results.goals.filter((g) => g.status !== 'not-measured' && !/bundle/.test(g.goal))).toEqual([]);
    expect(results.skipped.filter((s) => s.what === 'scenario')).toEqual([]);
  });
});
