/**
 * Scenario 1, push: images A (1 × 1 GiB), B (20 × 25 MiB), C (300 × 64 KiB) from OCI layouts into a
 * plain Distribution registry over HTTPS that is restarted with empty storage before every round of
 * every contender. A round is: first push, second push of the same image (everything present), push
 * into a second repository (mounts). Ceilings for A: one curl POST + PUT of its blob, and Node's sha256.
 */
import { join } from 'node:path';
import { bundleContender, BENCH_DIR } from '../lib/bundle';
import { countRequests, startPlainRegistry, type PlainRegistry } from '../lib/distribution';
import { interleave, type Contender, type ContenderOutcome, type RoundSamples } from '../lib/interleave';
import { cachedLayout } from '../lib/layouts';
import { runChildOk } from '../lib/measure';
import { makeRow, withRatios, type Case, type Goal, type Sample, type Skip } from '../lib/results';
import { type ScenarioContext, type ScenarioResult } from '../lib/scenario';
import { makeTls } from '../lib/tls';
import { verifyPushed } from '../lib/verify-push';
import type { GeneratedLayout } from '../gen-oci-layout';
import { ACRKIT, AZURE_SDK, pushTools, SKOPEO, type PushTool } from './push-tools';
import { formatProfile, profileNodeScript } from '../lib/profile';
import { pushGoals } from './push-goals';

interface ImageSpec { key: 'A' | 'B' | 'C'; label: string; layers: number; sizeBytes: number }

const MiB = 1024 * 1024;
const FULL: ImageSpec[] = [
  { key: 'A', label: '1 × 1 GiB', layers: 1, sizeBytes: 1024 * MiB },
  { key: 'B', label: '20 × 25 MiB', layers: 20, sizeBytes: 25 * MiB },
  { key: 'C', label: '300 × 64 KiB', layers: 300, sizeBytes: 64 * 1024 },
];
const QUICK: ImageSpec[] = [
  { key: 'A', label: '1 × 2 MiB (quick)', layers: 1, sizeBytes: 2 * MiB },
  { key: 'B', label: '3 × 256 KiB (quick)', layers: 3, sizeBytes: 256 * 1024 },
  { key: 'C', label: '8 × 4 KiB (quick)', layers: 8, sizeBytes: 4096 },
];

export const FIRST = 'first push';
export const SECOND = 'second push';
export const MOUNT = 'into a 2nd repository';
export const CURL = 'curl POST + PUT (ceiling)';
export const SHA256 = 'node sha256 (ceiling)';
const REPO = 'bench/image';
const REPO2 = 'bench/copy';
const TAG = 'latest';

/** Runs one command against the registry and counts the requests it made. */
async function measured(registry: PlainRegistry, cmd: { command: string; args: string[]; env: NodeJS.ProcessEnv }, signal?: AbortSignal): Promise<Sample> {
  const mark = registry.log.length;
  const cpuBefore = registry.cpuSeconds();
  const run = await runChildOk(cmd.command, cmd.args, { env: cmd.env, signal });
  await registry.settle();
  const serverCpuSeconds = registry.cpuSeconds() - cpuBefore;
  return { seconds: run.seconds, peakRssMiB: run.peakRssMiB, cpuSeconds: run.cpuSeconds, serverCpuSeconds, ...countRequests(registry.log, mark) };
}

function toolContender(tool: PushTool, layout: GeneratedLayout, registry: PlainRegistry, signal?: AbortSignal): Contender {
  const push = async (repository: string, mountFrom?: string) => {
    const sample = await measured(registry, tool.command(layout.out, TAG, registry, repository, mountFrom), signal);
    await verifyPushed(registry.url, registry.tls.caFile, repository, TAG, layout.manifestDigest);
    return sample;
  };
  return {
    name: tool.name,
    async run(): Promise<RoundSamples> {
      await registry.reset();
      const first = await push(REPO);
      if (!tool.repeats) return { [FIRST]: first };
      return { [FIRST]: first, [SECOND]: await push(REPO), [MOUNT]: await push(REPO2, REPO) };
    },
  };
}

async function ceilingContenders(layout: GeneratedLayout, registry: PlainRegistry, signal?: AbortSignal): Promise<Contender[]> {
  const largest = [...layout.layers].sort((a, b) => b.size - a.size)[0]!;
  const file = join(layout.out, 'blobs', 'sha256', largest.digest.slice('sha256:'.length));
  const sha = await bundleContender('sha256-file');
  return [
    {
      name: CURL,
      async run() {
        await registry.reset();
        const args = [join(BENCH_DIR, 'contenders/curl-put.sh'), registry.url, REPO, file, largest.digest, registry.tls.caFile];
        return { [FIRST]: await measured(registry, { command: 'bash', args, env: process.env }, signal) };
      },
    },
    {
      name: SHA256,
      async run() {
        const run = await runChildOk(process.execPath, [sha, '--file', file], { signal });
        if (run.stdout.trim() !== largest.digest) throw new Error(`sha256 of ${file}: expected ${largest.digest}, got ${run.stdout.trim()}`);
        return { [FIRST]: { seconds: run.seconds, peakRssMiB: run.peakRssMiB, cpuSeconds: run.cpuSeconds } };
      },
    },
  ];
}

/** One profiled acrkit first push (and, for A, second push) into fresh storage: where the CPU goes. */
async function profilePush(tool: PushTool, spec: ImageSpec, layout: GeneratedLayout, registry: PlainRegistry, quick: boolean): Promise<Record<string, unknown>> {
  await registry.reset();
  const profile = async () => {
    const cmd = tool.command(layout.out, TAG, registry, REPO);
    const cpu = registry.cpuSeconds();
    const summary = await profileNodeScript(cmd.args[0]!, cmd.args.slice(1), cmd.env);
    return { ...summary, registryCpuSeconds: registry.cpuSeconds() - cpu, line: formatProfile(summary) };
  };
  const out: Record<string, unknown> = { [`profile.push.${spec.key}.first`]: await profile() };
  if (spec.key === 'A' && !quick) out[`profile.push.${spec.key}.second`] = await profile();
  return out;
}

function casesFor(spec: ImageSpec, layout: GeneratedLayout, outcomes: Map<string, ContenderOutcome>): Case[] {
  const largestBlob = Math.max(...layout.layers.map((l) => l.size));
  return [FIRST, SECOND, MOUNT].flatMap((phase) => {
    const rows = [...outcomes].flatMap(([name, o]) => {
      const samples = o.samples[phase];
      if (!samples?.length) return [];
      const ceiling = name === CURL || name === SHA256;
      const bytes = phase !== FIRST ? undefined : ceiling ? largestBlob : layout.totalBytes;
      return [makeRow(name, samples, bytes, ceiling ? 'largest blob only' : undefined)];
    });
    return rows.length ? [withRatios({ scenario: 'push' as const, name: `${spec.key} ${spec.label}: ${phase}`, reference: SKOPEO, payloadBytes: phase === FIRST ? layout.totalBytes : undefined, rows })] : [];
  });
}

export async function runPush(ctx: ScenarioContext): Promise<ScenarioResult> {
  const skipped: Skip[] = [];
  const skip = (what: string, reason: string) => skipped.push({ scenario: 'push', what, reason });
  const tools = await pushTools(skip);
  skip(`${AZURE_SDK}: ${SECOND} and ${MOUNT}`, 'used as documented, uploadBlob has no exists check and the SDK exposes no mount, so both would repeat the first push');
  const tls = await makeTls(join(ctx.workDir, 'tls'));
  const registry = await startPlainRegistry(join(ctx.workDir, 'registry'), tls);
  const cases: Case[] = [];
  const goals: Goal[] = [];
  const facts: Record<string, unknown> = {};
  try {
    for (const spec of ctx.quick ? QUICK : FULL) {
      ctx.progress(`push ${spec.key}: preparing layout ${spec.label}`);
      const layout = await cachedLayout({ layers: spec.layers, sizeBytes: spec.sizeBytes, seed: `bench-${spec.key}`, tag: TAG, signal: ctx.signal });
      facts[`push.${spec.key}.blobs`] = layout.layers.length + 1;
      facts[`push.${spec.key}.bytes`] = layout.totalBytes;
      const contenders = tools.map((t) => toolContender(t, layout, registry, ctx.signal));
      if (spec.key === 'A') contenders.push(...(await ceilingContenders(layout, registry, ctx.signal)));
      const outcomes = await interleave(contenders, {
      signal: ctx.signal,
        warmup: ctx.warmup,
        runs: ctx.runs,
        onRun: (name, round, r) => ctx.progress(`push ${spec.key} round ${round} ${name}: ${r instanceof Error ? `FAILED ${r.message}` : Object.entries(r).map(([k, s]) => `${k} ${s.seconds.toFixed(2)} s`).join(', ')}`),
      });
      for (const [name, o] of outcomes) if (o.error) skip(`${name} on ${spec.key}`, `failed: ${o.error.message}`);
      const acrkit = tools.find((t) => t.name === ACRKIT);
      // Quick runs profile only A, to keep the smoke test short while still exercising the profiler.
      if (acrkit && !outcomes.get(ACRKIT)?.error && (!ctx.quick || spec.key === 'A')) Object.assign(facts, await profilePush(acrkit, spec, layout, registry, ctx.quick));
      const specCases = casesFor(spec, layout, outcomes);
      cases.push(...specCases);
      goals.push(...pushGoals(spec.key, specCases, layout.layers.length + 1, ctx.quick));
    }
  } finally {
    await registry.stop();
  }

  return { cases, goals, skipped, facts };
}


