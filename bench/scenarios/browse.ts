/**
 * Scenario 2, browse: on a rig holding a repository with 10,000 tags and 1,000 other repositories,
 * the extension model's first page of tags (newest first) and all pages, against the Container Tools
 * approach (list everything, then a manifest and a config request per tag); the same for repositories.
 * Each measurement is one child process; requests are counted from the rig's request log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleContender, REPO_DIR } from '../lib/bundle';
import { seedBrowseData } from '../lib/browse-seed';
import { childPidsNamed, processCpuSeconds } from '../lib/distribution';
import { interleave, type Contender } from '../lib/interleave';
import { runChildOk } from '../lib/measure';
import { makeRow, withRatios, type Case, type Goal, type Sample, type Skip } from '../lib/results';
import { goal, type ScenarioContext, type ScenarioResult } from '../lib/scenario';
import type { Rig } from '../../test/rig/rig';

export const ACRKIT_MODEL = 'acrkit extension model';
export const CONTAINER_TOOLS = 'Container Tools approach';
const TAG_REPO = 'bench/many-tags';
const REPO_PREFIX = 'bench/repo-';
const TAGS_FIRST = 'tags: first page, newest first';
const TAGS_WARM = 'tags: first page, token cached';
const TAGS_ALL = 'tags: all pages';
const REPOS_FIRST = 'repositories: first page';
const REPOS_ALL = 'repositories: all pages';

/**
 * The rig's CPU from now on: its front runs in this process (nothing else here is busy while a child
 * runs), and its Distribution is a child of this process.
 */
function serverCpu(): () => number {
  const pids = childPidsNamed('docker-registry');
  const cpu0 = process.cpuUsage();
  const dist0 = pids.reduce((s, p) => s + processCpuSeconds(p), 0);
  return () => {
    const own = process.cpuUsage(cpu0);
    return (own.user + own.system) / 1e6 + pids.reduce((s, p) => s + processCpuSeconds(p), 0) - dist0;
  };
}

/** Why the acrkit contender cannot run yet, or undefined. */
function missingPieces(): string | undefined {
  const needed = ['test/rig/rig.ts', 'packages/core/src/acr/create-registry-client.ts', 'packages/vscode/src/model/explorer-model.ts'];
  const missing = needed.filter((p) => !existsSync(join(REPO_DIR, p)));
  return missing.length ? `${missing.join(', ')} missing` : undefined;
}

function childRunner(rig: Rig, facts: Record<string, unknown>, signal?: AbortSignal) {
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: rig.caFile };
  /** Runs one contender; `logAs` keeps its request lines (method, path, status) in the facts. */
  return async (script: string, args: string[], expectItems: number, logAs?: string): Promise<Sample> => {
    const mark = rig.requests.length;
    const server = serverCpu();
    const run = await runChildOk(process.execPath, [script, ...args], { env, signal });
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { items?: number; startedAt?: number; seconds?: number };
    if (out.items !== expectItems) throw new Error(`${script.split('/').pop()} --mode ${args[args.indexOf('--mode') + 1]}: expected ${expectItems} items, got ${out.items}`);
    // A contender that times only part of its life says when that part started.
    const records = rig.requests.slice(mark).filter((r) => out.startedAt === undefined || r.at >= out.startedAt);
    const seconds = out.seconds ?? run.seconds;
    if (logAs) facts[logAs] = records.map((r) => `${r.method} ${r.path}${r.query.replace(/(token|password)=[^&]*/gi, '$1=***')} ${r.status}`);
    return { seconds, peakRssMiB: run.peakRssMiB, cpuSeconds: run.cpuSeconds, serverCpuSeconds: server(), requests: records.length, tokenRequests: records.filter((r) => r.path.startsWith('/oauth2/')).length };
  };
}

export async function runBrowse(ctx: ScenarioContext): Promise<ScenarioResult> {
  const skipped: Skip[] = [];
  const missing = missingPieces();
  if (missing) {
    return { cases: [], goals: [goal('browse', 'first page of tags: 1 registry request + cached tokens, ≥ 20 × faster than Container Tools', undefined, ctx.quick)], skipped: [{ scenario: 'browse', what: ACRKIT_MODEL, reason: missing }], facts: {} };
  }
  const tagCount = ctx.quick ? 60 : 10_000;
  const repoCount = ctx.quick ? 12 : 1_000;
  const [acrkit, baseline] = await Promise.all([bundleContender('acrkit-browse'), bundleContender('container-tools-browse')]);
  const { startRig } = await import('../../test/rig/rig');
  const rig = await startRig({ signal: ctx.signal });
  try {
    ctx.progress(`browse: seeding ${tagCount} tags and ${repoCount} repositories`);
    const seedStart = Date.now();
    await seedBrowseData({ url: rig.url, loginServer: rig.loginServer, caFile: rig.caFile, ...rig.admin }, { tagRepository: TAG_REPO, tagCount, repositoryPrefix: REPO_PREFIX, repositoryCount: repoCount });
    const facts: Record<string, unknown> = { 'browse.seed': { tags: tagCount, repositories: repoCount, seconds: (Date.now() - seedStart) / 1000 } };
    const run = childRunner(rig, facts, ctx.signal);
    const creds = ['--username', rig.admin.username, '--password', rig.admin.password];
    const model = (mode: string, expect: number, extra: string[] = []) => () => run(acrkit, ['--login-server', rig.loginServer, ...creds, '--mode', mode, '--repository', TAG_REPO, ...extra], expect, mode === 'first-tags' ? 'browse.firstPageRequests' : undefined);
    const pageSize = 50; // DEFAULT_SETTINGS.pageSize of the model
    // Paging through 10,000 tags 50 at a time is 200 requests, each of which costs the ACR stand-in
    // a pass over all 10,000 tags; with the page-size setting at its maximum it is 10.
    const allPageSize = ctx.quick ? pageSize : 1000;
    // Runs that take minutes on a busy two-core machine get fewer rounds in a full run (see README).
    const heavy = ctx.quick ? {} : { noWarmup: true, maxRuns: 1 };
    const totalRepos = repoCount + 1;
    const contenders: Contender[] = [
      { name: `${ACRKIT_MODEL}|first-tags`, run: async () => ({ [TAGS_FIRST]: await model('first-tags', Math.min(pageSize, tagCount))() }) },
      { name: `${ACRKIT_MODEL}|first-tags-warm`, run: async () => ({ [TAGS_WARM]: await model('first-tags-warm', Math.min(pageSize, tagCount))() }) },
      // The next ones take minutes at full size and need no warm cache: measured rounds only.
      { name: `${ACRKIT_MODEL}|all-tags`, noWarmup: true, run: async () => ({ [TAGS_ALL]: await model('all-tags', tagCount, ['--page-size', String(allPageSize)])() }) },
      {
        name: `${CONTAINER_TOOLS}|tags`,
        ...heavy,
        run: async () => {
          const s = await run(baseline, ['--url', rig.url, ...creds, '--repository', TAG_REPO], tagCount);
          return { [TAGS_FIRST]: s, [TAGS_ALL]: s };
        },
      },
      { name: `${ACRKIT_MODEL}|first-repos`, run: async () => ({ [REPOS_FIRST]: await model('first-repos', Math.min(pageSize, totalRepos))() }) },
      { name: `${ACRKIT_MODEL}|all-repos`, ...heavy, run: async () => ({ [REPOS_ALL]: await model('all-repos', totalRepos)() }) },
      {
        name: `${CONTAINER_TOOLS}|repos`,
        run: async () => {
          const s = await run(baseline, ['--url', rig.url, ...creds, '--catalog', '1'], totalRepos);
          return { [REPOS_FIRST]: s, [REPOS_ALL]: s };
        },
      },
    ];
    const outcomes = await interleave(contenders, {
      signal: ctx.signal,
      warmup: ctx.warmup,
      runs: ctx.runs,
      onRun: (name, round, r) => ctx.progress(`browse round ${round} ${name}: ${r instanceof Error ? `FAILED ${r.message}` : Object.values(r).map((s) => `${s.seconds.toFixed(2)} s, ${s.requests} requests`)[0]}`),
    });
    const cases: Case[] = [];
    for (const name of [TAGS_FIRST, TAGS_WARM, TAGS_ALL, REPOS_FIRST, REPOS_ALL]) {
      const rows = [...outcomes].filter(([, o]) => o.samples[name]?.length).map(([contender, o]) => {
        const row = makeRow(contender.split('|')[0]!, o.samples[name]!);
        return { ...row, note: row.requests === undefined ? undefined : `${Math.round(row.requests - (row.tokenRequests ?? 0))} registry + ${Math.round(row.tokenRequests ?? 0)} token requests` };
      });
      const label = name === TAGS_ALL ? `${name} (${tagCount} tags, page size ${allPageSize})`
        : name.startsWith('tags') ? `${name} (${tagCount} tags)` : `${name} (${totalRepos} repositories)`;
      if (rows.length) cases.push(withRatios({ scenario: 'browse', name: label, reference: CONTAINER_TOOLS, rows }));
    }
    for (const [name, o] of outcomes) if (o.error) skipped.push({ scenario: 'browse', what: name.replace('|', ' '), reason: `failed: ${o.error.message}` });
    return { cases, goals: browseGoals(cases, ctx.quick), skipped, facts };
  } finally {
    await rig.stop();
  }
}

function browseGoals(cases: Case[], quick: boolean): Goal[] {
  const first = cases.find((c) => c.name.startsWith(TAGS_FIRST));
  const mine = first?.rows.find((r) => r.contender === ACRKIT_MODEL);
  const base = first?.rows.find((r) => r.contender === CONTAINER_TOOLS);
  const warm = cases.find((c) => c.name.startsWith(TAGS_WARM))?.rows.find((r) => r.contender === ACRKIT_MODEL);
  const registryRequests = (r?: { requests?: number; tokenRequests?: number }) => (r?.requests === undefined ? undefined : r.requests - (r.tokenRequests ?? 0));
  const warmRequests = registryRequests(warm);
  return [
    goal('browse', 'first page of tags in 1 registry request plus cached token requests', warmRequests === undefined ? undefined : {
      ok: warmRequests <= 1 && (warm!.tokenRequests ?? 0) === 0,
      detail: `token cached: ${warmRequests} registry + ${warm!.tokenRequests ?? 0} token requests; cold process: ${registryRequests(mine) ?? '?'} registry (a 401 challenge, then the page) + ${mine?.tokenRequests ?? '?'} token`,
    }, quick),
    goal('browse', 'first page of tags ≥ 20 × faster than the Container Tools approach', mine && base ? { ok: base.median / mine.median >= 20, detail: `${mine.median.toFixed(2)} s vs ${base.median.toFixed(2)} s = ${(base.median / mine.median).toFixed(1)} × faster` } : undefined, quick),
  ];
}
