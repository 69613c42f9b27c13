/**
 * "What dominates the time": runs a Node contender once under `--cpu-prof` and sums self time by source
 * module. esbuild bundles mark each module with a `// path` comment line, so samples inside a bundle
 * are attributed to the module they came from (undici, the core's push, zlib ...), not to one big file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChildOk } from './measure';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  wallSeconds: number;
  sampledMs: number;
  /** Self time by module (or V8 category), largest first. */
  top: Array<{ where: string; ms: number; percent: number }>;
}

/** Line → module maps of bundles, from esbuild's `// path` markers. */
async function moduleMarkers(file: string): Promise<Array<{ line: number; module: string }>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const marks: Array<{ line: number; module: string }> = [];
  text.split('\n').forEach((l, i) => {
    const m = /^\/\/ ((?:\.\.\/|node_modules\/|packages\/|bench\/|src\/)\S+)$/.exec(l);
    if (m) marks.push({ line: i, module: m[1]!.replace(/^(\.\.\/)+/, '') });
  });
  return marks;
}

function groupOf(url: string, line: number, marks: Map<string, Array<{ line: number; module: string }>>, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal/modules') ? 'node: module loading' : url;
  const list = marks.get(url);
  if (!list?.length) return url.split('/').slice(-2).join('/');
  let module = '(bundle prelude)';
  for (const m of list) {
    if (m.line > line) break;
    module = m.module;
  }
  // Keep packages whole (node_modules/undici/lib/x.js -> undici) and core files by name.
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return pkg ? pkg[1]! : module;
}

/** Summarizes a .cpuprofile's self time by module. */
export async function summarizeProfile(profile: CpuProfile, wallSeconds: number, topN = 10): Promise<ProfileSummary> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const urls = [...new Set(profile.nodes.map((n) => n.callFrame.url).filter((u) => u.startsWith('file://') && u.endsWith('.cjs')))];
  const marks = new Map(await Promise.all(urls.map(async (u) => [u, await moduleMarkers(fileURLToPath(u))] as const)));
  const byGroup = new Map<string, number>();
  for (const n of profile.nodes) {
    const us = self.get(n.id);
    if (!us) continue;
    const g = groupOf(n.callFrame.url, n.callFrame.lineNumber, marks, n.callFrame.functionName);
    // Waiting on the network or disk is not CPU time: leave it out of the shares.
    if (g === '(idle)') continue;
    byGroup.set(g, (byGroup.get(g) ?? 0) + us);
  }
  const total = [...byGroup.values()].reduce((a, b) => a + b, 0);
  const top = [...byGroup].sort((a, b) => b[1] - a[1]).slice(0, topN).map(([where, us]) => ({ where, ms: Math.round(us / 100) / 10, percent: Math.round((us / total) * 1000) / 10 }));
  return { wallSeconds, sampledMs: Math.round(total / 1000), top };
}

/** Runs `node --cpu-prof script args` once and summarizes where its CPU time went. */
export async function profileNodeScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-bench-prof-'));
  try {
    const run = await runChildOk(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, script, ...args], { env });
    const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`node --cpu-prof wrote no profile for ${script}`);
    return summarizeProfile(JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile, run.seconds);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One line for tables and the README: `12.3 s wall; undici 34 %, (garbage collector) 12 %, ...`. */
export function formatProfile(p: ProfileSummary, n = 5): string {
  return `${p.wallSeconds.toFixed(2)} s wall, ${(p.sampledMs / 1000).toFixed(2)} s on CPU: ${p.top.slice(0, n).map((t) => `${t.where} ${t.percent} %`).join(', ')}`;
}
