/**
 * Test helpers for `command: build`: steps of the built bundles started the way the runner starts them
 * (as support/run-action.ts does) but handed back while running, so a test can watch stdout live and
 * send the signals the runner sends on cancellation (SIGINT, SIGTERM, and a kill); and a skopeo pull
 * that lists the files an image holds.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { captureFile } from '../../../test/support/secret-registry';
import { DIST, parseFileCommands, type StepResult } from './support/run-action';

const exec = promisify(execFile);

/** A step that is running: its process, stdout so far, and its result once it ends. */
export interface RunningStep {
  child: ChildProcess;
  stdout(): string;
  /** Resolves when stdout matches `pattern` (rejects if the step ends first or after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<StepResult>;
}

export interface BuildJobOptions {
  workDir: string;
  /** GITHUB_*, NODE_EXTRA_CA_CERTS, ACTIONS_ID_TOKEN_* ... */
  env: Record<string, string>;
  event?: unknown;
  /** The bundles' directory; ACRKIT_ACTION_DIST or the repository's dist/ when undefined. */
  dist?: string;
  /** Node binary; the test's own when undefined. */
  node?: string;
}

/** One simulated job: main and post steps sharing HOME and RUNNER_TEMP. */
export class BuildJob {
  private stepNo = 0;
  constructor(readonly options: BuildJobOptions) {}

  /** Starts dist/main.cjs with `inputs` (names as in action.yml). */
  main(inputs: Record<string, string>): Promise<RunningStep> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    return this.start('main.cjs', env);
  }

  /** Starts dist/post.cjs with the same inputs and the state `main` saved. */
  post(inputs: Record<string, string>, main: StepResult): Promise<RunningStep> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    for (const [name, value] of Object.entries(main.state)) env[`STATE_${name}`] = value;
    return this.start('post.cjs', env);
  }

  private async start(entry: string, stepEnv: Record<string, string>): Promise<RunningStep> {
    const dir = join(this.options.workDir, `step-${++this.stepNo}`);
    const home = join(this.options.workDir, 'home');
    const runnerTemp = join(this.options.workDir, 'runner-temp');
    for (const d of [dir, home, runnerTemp]) await mkdir(d, { recursive: true });
    const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary' };
    for (const name of Object.values(files)) await writeFile(join(dir, name), '');
    await writeFile(join(dir, 'event.json'), JSON.stringify(this.options.event ?? {}));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, RUNNER_TEMP: runnerTemp, GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: this.options.workDir, GITHUB_EVENT_PATH: join(dir, 'event.json'),
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [k, join(dir, v)])),
      ...this.options.env, ...stepEnv,
    };
    const dist = this.options.dist || process.env.ACRKIT_ACTION_DIST || DIST;
    const child = spawn(this.options.node ?? process.execPath, [join(dist, entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const watchers: Array<() => void> = [];
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); watchers.forEach((w) => w()); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    const guard = setTimeout(() => child.kill('SIGKILL'), 180_000);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => { clearTimeout(guard); resolve({ code, signal }); watchers.forEach((w) => w()); });
    });
    const stepNo = this.stepNo;
    const done = exited.then(async ({ code, signal }) => {
      // What the runner would show or keep: the secret harness scans these files too.
      for (const [variable, name] of Object.entries(files)) captureFile(`${variable} of step ${stepNo} (${entry})`, join(dir, name));
      const read = (name: string) => readFile(join(dir, name), 'utf8');
      return {
        code, signal, stdout, stderr,
        outputs: parseFileCommands(await read('output')),
        state: parseFileCommands(await read('state')),
        env: parseFileCommands(await read('env')),
        summary: await read('summary'),
      };
    });
    const waitFor = (pattern: RegExp, timeoutMs = 120_000) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} in stdout:\n${stdout}`)), timeoutMs);
      const check = () => {
        if (pattern.test(stdout)) { clearTimeout(timer); resolve(); }
        else if (child.exitCode !== null || child.signalCode !== null) { clearTimeout(timer); reject(new Error(`step ended before ${pattern} appeared:\n${stdout}\n${stderr}`)); }
      };
      watchers.push(check);
      check();
    });
    return { child, stdout: () => stdout, waitFor, done };
  }
}

/** Writes `files` (path → content) under `root`. */
export async function writeTree(root: string, files: Record<string, string>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** Pulls `ref` with skopeo (`flags`: `--src-cert-dir`, `--src-creds`) and returns its digest and regular files. */
export async function pullImageFiles(ref: string, flags: string[]): Promise<{ digest: string; files: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-build-pull-'));
  const blob = (digest: string) => join(dir, 'blobs', ...digest.split(':'));
  try {
    const inspect = await exec('skopeo', ['inspect', ...flags.map((f) => f.replace('--src-', '--')), `docker://${ref}`]);
    const digest = (JSON.parse(inspect.stdout) as { Digest: string }).Digest;
    await exec('skopeo', ['copy', ...flags, `docker://${ref}`, `oci:${dir}:img`]);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    const manifest = JSON.parse(await readFile(blob(index.manifests[0]!.digest), 'utf8')) as { layers: Array<{ digest: string }> };
    const files = new Map<string, string>();
    for (const layer of manifest.layers) {
      const raw = await readFile(blob(layer.digest));
      const ex = extract();
      Readable.from([raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw]).pipe(ex);
      for await (const entry of ex) {
        const chunks: Buffer[] = [];
        for await (const c of entry) chunks.push(c as Buffer);
        if (entry.header.type === 'file') files.set(entry.header.name.replace(/^\.?\//, ''), Buffer.concat(chunks).toString());
      }
    }
    return { digest, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
