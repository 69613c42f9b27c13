/**
 * Scenario 4, context packing: a ~200 MB tree of ~16,000 files with a .dockerignore; acrkit's packer
 * against `tar --exclude-from ... | gzip` (GNU, gzip's default level 6 = the packer's level). The two
 * archives must hold the same files, checked once per run (not timed).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleContender, REPO_DIR } from '../lib/bundle';
import { interleave, type Contender } from '../lib/interleave';
import { runChildOk } from '../lib/measure';
import { makeRow, withRatios, type Case, type Skip } from '../lib/results';
import { goal, type ScenarioContext, type ScenarioResult } from '../lib/scenario';
import { formatProfile, profileNodeScript } from '../lib/profile';
import { cachedSourceTree, FULL_TREE, QUICK_TREE } from '../lib/source-tree';

export const ACRKIT_PACK = 'acrkit packBuildContext';
export const GNU_PACK = 'GNU tar --exclude-from, gzip';
const GNU_SCRIPT = 'tar -C "$1" --exclude-from="$2" -cf - . | gzip > "$3"';

/** Regular-file members of a .tar.gz, without `./`, sorted. */
export async function archiveFiles(file: string): Promise<string[]> {
  // Verbose listing: the first character is the member type, the last field the name (the tree has no spaces).
  const { stdout } = await runChildOk('tar', ['-tvzf', file]);
  return stdout.split('\n').filter((l) => l && l[0] !== 'd').map((l) => l.split(/\s+/).pop()!.replace(/^\.\//, '')).sort();
}

/** Describes how two sorted name lists differ (empty string when equal). */
export function diffNames(a: string[], b: string[]): string {
  const sa = new Set(a);
  const sb = new Set(b);
  const onlyA = a.filter((n) => !sb.has(n));
  const onlyB = b.filter((n) => !sa.has(n));
  if (!onlyA.length && !onlyB.length) return '';
  return `only in acrkit: ${onlyA.slice(0, 5).join(', ') || '-'} (${onlyA.length}); only in GNU: ${onlyB.slice(0, 5).join(', ') || '-'} (${onlyB.length})`;
}

export async function runPack(ctx: ScenarioContext): Promise<ScenarioResult> {
  const skipped: Skip[] = [];
  if (!existsSync(join(REPO_DIR, 'packages/core/src/build/pack-context.ts'))) {
    return { cases: [], goals: [goal('pack', 'acrkit ≤ 1.0 × GNU tar + gzip', undefined, ctx.quick)], skipped: [{ scenario: 'pack', what: ACRKIT_PACK, reason: 'packages/core/src/build/pack-context.ts does not exist yet' }], facts: {} };
  }
  ctx.progress('pack: preparing the source tree');
  const tree = await cachedSourceTree(ctx.quick ? 'quick' : 'full', ctx.quick ? QUICK_TREE : FULL_TREE);
  const script = await bundleContender('acrkit-pack');
  const outA = join(ctx.workDir, 'acrkit.tar.gz');
  const outB = join(ctx.workDir, 'gnu.tar.gz');
  const contenders: Contender[] = [
    { name: ACRKIT_PACK, run: async () => ({ pack: await runChildOk(process.execPath, [script, '--context', tree.dir, '--out', outA], { signal: ctx.signal }) }) },
    { name: GNU_PACK, run: async () => ({ pack: await runChildOk('bash', ['-c', GNU_SCRIPT, 'gnu-pack', tree.dir, tree.tarExcludeFile, outB], { signal: ctx.signal }) }) },
  ];
  const outcomes = await interleave(contenders, {
      signal: ctx.signal,
    warmup: ctx.warmup,
    runs: ctx.runs,
    onRun: (name, round, r) => ctx.progress(`pack round ${round} ${name}: ${r instanceof Error ? `FAILED ${r.message}` : `${r.pack!.seconds.toFixed(2)} s`}`),
  });
  for (const [name, o] of outcomes) if (o.error) skipped.push({ scenario: 'pack', what: name, reason: `failed: ${o.error.message}` });
  const rows = [...outcomes].filter(([, o]) => o.samples.pack?.length).map(([name, o]) => makeRow(name, o.samples.pack!, tree.keptBytes));
  const facts: Record<string, unknown> = { 'pack.tree': { files: tree.files, totalBytes: tree.totalBytes, keptFiles: tree.keptFiles, keptBytes: tree.keptBytes } };
  if (!ctx.quick && !outcomes.get(ACRKIT_PACK)?.error) {
    const summary = await profileNodeScript(script, ['--context', tree.dir, '--out', outA]);
    facts['profile.pack'] = { ...summary, line: formatProfile(summary) };
  }
  let sameFiles: string | undefined;
  if (rows.length === 2) {
    const [a, b] = await Promise.all([archiveFiles(outA), archiveFiles(outB)]);
    sameFiles = diffNames(a, b);
    facts['pack.archives'] = { acrkitBytes: (await stat(outA)).size, gnuBytes: (await stat(outB)).size, files: a.length, expectedFiles: tree.keptFiles, sameFiles: sameFiles === '' };
    if (sameFiles) skipped.push({ scenario: 'pack', what: 'file-set check', reason: `the archives differ: ${sameFiles}` });
  }
  const c: Case = withRatios({ scenario: 'pack', name: `${tree.files} files, ${(tree.totalBytes / 1e6).toPrecision(3)} MB (${(tree.keptBytes / 1e6).toPrecision(3)} MB kept)`, reference: GNU_PACK, payloadBytes: tree.keptBytes, rows });
  const mine = c.rows.find((r) => r.contender === ACRKIT_PACK);
  const measured = mine?.ratio !== undefined && sameFiles === ''
    ? { ok: mine.ratio <= 1.0, detail: `${mine.median.toFixed(2)} s vs ${c.rows.find((r) => r.contender === GNU_PACK)!.median.toFixed(2)} s = ${mine.ratio.toFixed(2)}×, same ${tree.keptFiles} files` }
    : undefined;
  return { cases: rows.length ? [c] : [], goals: [goal('pack', 'acrkit ≤ 1.0 × GNU tar + gzip (same file set)', measured, ctx.quick)], skipped, facts };
}
