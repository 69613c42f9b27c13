/**
 * Runs the Action's built bundle (dist/main.cjs, dist/post.cjs) as the runner does: inputs as
 * `INPUT_<NAME>`, file commands in temporary files, state handed from main to post. A small copy of
 * packages/action/test/support/run-action.ts, which this project cannot import (that test project
 * references this one).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureFile } from '../support/secret-registry';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

export interface DistStep {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Milliseconds from the interrupt signal to the process's exit (undefined without an interrupt). */
  exitAfterSignalMs?: number;
}

/** `name=value` lines and `name<<DELIM` heredocs, as the runner reads them. */
function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

/** Send `signal` `afterMs` (default 0) after stdout first matches `on`. */
export interface Interrupt {
  on: RegExp;
  signal: NodeJS.Signals;
  afterMs?: number;
}

/** One job: steps share HOME and RUNNER_TEMP under `workDir`. */
export class DistJob {
  private n = 0;
  constructor(private readonly workDir: string, private readonly env: Record<string, string>) {}

  /** Runs main.cjs with `inputs` (names as in action.yml); interrupts it as `interrupt` says. */
  main(inputs: Record<string, string>, interrupt?: Interrupt): Promise<DistStep> {
    const env = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
    return this.step('main.cjs', env, interrupt);
  }

  /** Runs post.cjs with the state `main` saved. */
  post(main: DistStep): Promise<DistStep> {
    return this.step('post.cjs', Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v])));
  }

  private async step(entry: string, stepEnv: Record<string, string>, interrupt?: Interrupt): Promise<DistStep> {
    const dir = join(this.workDir, `step-${++this.n}`);
    const home = join(this.workDir, 'home');
    const temp = join(this.workDir, 'runner-temp');
    for (const d of [dir, home, temp]) await mkdir(d, { recursive: true });
    const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary', GITHUB_EVENT_PATH: 'event.json' };
    for (const name of Object.values(files)) await writeFile(join(dir, name), name === 'event.json' ? '{}' : '');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, RUNNER_TEMP: temp, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: this.workDir,
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [k, join(dir, v)])),
      ...this.env,
      ...stepEnv,
    };
    const run = await new Promise<Pick<DistStep, 'code' | 'stdout' | 'stderr' | 'exitAfterSignalMs'>>((done, fail) => {
      const child = spawn(process.execPath, [join(DIST, entry)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let signalledAt: number | undefined;
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (interrupt && signalledAt === undefined && interrupt.on.test(stdout) && child.exitCode === null) {
          signalledAt = -1;
          setTimeout(() => {
            signalledAt = Date.now();
            child.kill(interrupt.signal);
          }, interrupt.afterMs ?? 0);
        }
      });
      child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
      const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(guard);
        done({ code, stdout, stderr, exitAfterSignalMs: signalledAt === undefined || signalledAt < 0 ? undefined : Date.now() - signalledAt });
      });
    });
    // What the runner would show or keep: the secret harness scans these files too.
    for (const [variable, name] of Object.entries(files)) if (variable !== 'GITHUB_EVENT_PATH') captureFile(`${variable} of step ${this.n} (${entry})`, join(dir, name));
    const read = (name: string) => readFile(join(dir, name), 'utf8');
    return { ...run, outputs: parseFileCommands(await read('output')), state: parseFileCommands(await read('state')), summary: await read('summary') };
  }
}

/** Stdout without `::add-mask::` lines (the runner consumes them), and the masked values. */
export function visibleLog(stdout: string): { text: string; masked: string[] } {
  const masked: string[] = [];
  const text = stdout.split('\n').filter((line) => {
    const m = /^::add-mask::(.*)$/.exec(line);
    if (m) masked.push(m[1]!);
    return !m;
  }).join('\n');
  return { text, masked };
}
