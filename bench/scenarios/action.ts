/**
 * Scenario 3, Action start: the sizes of the committed `main` and `post` bundles, and the wall time of
 * `node dist/main.*` for `command: meta` (tags computed, no network) run the way the runner runs it:
 * INPUT_* variables and GITHUB_OUTPUT/ENV/STATE/STEP_SUMMARY/EVENT_PATH files. Reference: bare `node -e ""`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_DIR } from '../lib/bundle';
import { interleave, type Contender } from '../lib/interleave';
import { runChildOk } from '../lib/measure';
import { makeRow, withRatios, type Goal, type Skip } from '../lib/results';
import { formatProfile, profileNodeScript } from '../lib/profile';
import { goal, type ScenarioContext, type ScenarioResult } from '../lib/scenario';

export const ACTION_META = 'node dist/main (command: meta)';
export const BARE_NODE = 'node -e "" (Node start)';
const BUNDLE_LIMIT = 1_000_000;
const START_LIMIT_S = 0.25;

/** The first of dist/<entry>.cjs, .js, .mjs that exists. */
function findBundle(entry: string): string | undefined {
  return ['cjs', 'js', 'mjs'].map((ext) => join(REPO_DIR, 'dist', `${entry}.${ext}`)).find((p) => existsSync(p));
}

/** Runner-like environment for a `meta` step on a tag push. */
async function runnerEnv(dir: string): Promise<NodeJS.ProcessEnv> {
  await mkdir(dir, { recursive: true });
  const files = Object.fromEntries(['output', 'env', 'state', 'summary'].map((n) => [n, join(dir, n)]));
  await Promise.all(Object.values(files).map((f) => writeFile(f, '')));
  const event = join(dir, 'event.json');
  await writeFile(event, JSON.stringify({ ref: 'refs/tags/v1.2.3', after: '0123456789abcdef0123456789abcdef01234567', repository: { full_name: 'acrkit/demo', default_branch: 'main', html_url: 'https://github.com/acrkit/demo' } }));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INPUT_') && !k.startsWith('GITHUB_') && !k.startsWith('ACTIONS_')));
  return {
    ...clean,
    INPUT_COMMAND: 'meta',
    INPUT_REGISTRY: 'myreg.azurecr.io',
    INPUT_IMAGE: 'team/app',
    INPUT_TAGS: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_REF: 'refs/tags/v1.2.3',
    GITHUB_REF_NAME: 'v1.2.3',
    GITHUB_REF_TYPE: 'tag',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REPOSITORY: 'acrkit/demo',
    GITHUB_REPOSITORY_OWNER: 'acrkit',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
  };
}

export async function runAction(ctx: ScenarioContext): Promise<ScenarioResult> {
  const skipped: Skip[] = [];
  const goals: Goal[] = [];
  const facts: Record<string, unknown> = {};
  const main = findBundle('main');
  const post = findBundle('post');
  for (const [entry, file] of [['main', main], ['post', post]] as const) {
    const size = file ? (await stat(file)).size : undefined;
    facts[`action.bundle.${entry}`] = size === undefined ? null : { file: file!.slice(REPO_DIR.length + 1), bytes: size };
    goals.push(goal('action', `${entry} bundle < 1 MB`, size === undefined ? undefined : { ok: size < BUNDLE_LIMIT, detail: `${(size / 1e6).toFixed(3)} MB` }, false));
  }
  if (!main) {
    skipped.push({ scenario: 'action', what: ACTION_META, reason: 'dist/main.cjs (or .js) does not exist yet' });
    goals.push(goal('action', `meta start-to-outputs < ${START_LIMIT_S * 1000} ms`, undefined, ctx.quick));
    return { cases: [], goals, skipped, facts };
  }
  const env = await runnerEnv(join(ctx.workDir, 'runner'));
  const contenders: Contender[] = [
    {
      name: ACTION_META,
      run: async () => {
        await writeFile(env.GITHUB_OUTPUT!, '');
        const run = await runChildOk(process.execPath, [main], { env, cwd: env.GITHUB_WORKSPACE, signal: ctx.signal });
        const outputs = await readFile(env.GITHUB_OUTPUT!, 'utf8');
        if (!/^tags<</m.test(outputs) && !/^tags=/m.test(outputs)) throw new Error(`meta wrote no tags output: ${outputs.slice(0, 300)}`);
        return { start: run };
      },
    },
    { name: BARE_NODE, run: async () => ({ start: await runChildOk(process.execPath, ['-e', ''], { signal: ctx.signal }) }) },
  ];
  // Each run is a fraction of a second, so a full run takes 4× the rounds for a steadier median.
  const outcomes = await interleave(contenders, { warmup: ctx.warmup, runs: ctx.quick ? ctx.runs : ctx.runs * 4, signal: ctx.signal });
  for (const [name, o] of outcomes) if (o.error) skipped.push({ scenario: 'action', what: name, reason: `failed: ${o.error.message}` });
  if (!ctx.quick && !outcomes.get(ACTION_META)?.error) {
    const summary = await profileNodeScript(main, [], env);
    facts['profile.action.meta'] = { ...summary, line: formatProfile(summary) };
  }
  const rows = [...outcomes].filter(([, o]) => o.samples.start?.length).map(([name, o]) => makeRow(name, o.samples.start!));
  const c = withRatios({ scenario: 'action', name: 'start to outputs', reference: BARE_NODE, rows });
  const mine = c.rows.find((r) => r.contender === ACTION_META);
  goals.push(goal('action', `meta start-to-outputs < ${START_LIMIT_S * 1000} ms`, mine && { ok: mine.median < START_LIMIT_S, detail: `median ${(mine.median * 1000).toFixed(0)} ms (bare Node ${((c.rows.find((r) => r.contender === BARE_NODE)?.median ?? NaN) * 1000).toFixed(0)} ms)` }, ctx.quick));
  return { cases: rows.length ? [c] : [], goals, skipped, facts };
}
