/**
 * Runs one contender as a child process and measures it from the outside: wall time from spawn to
 * exit (hrtime in this process) and peak RSS from GNU time's `%M` (KiB), which covers any program,
 * not only Node.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export interface ChildRun {
  seconds: number;
  /** Peak resident set of the child (largest of its descendants for a shell pipeline), MiB. */
  peakRssMiB?: number;
  /** User + system CPU of the child and the descendants it waited for, seconds. */
  cpuSeconds?: number;
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the child after this long. If undefined, 10 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Error for a contender that exited non-zero: names the command and shows the end of its stderr. */
export class ChildFailedError extends Error {
  constructor(readonly command: string, readonly exitCode: number, readonly stderr: string) {
    super(`${command}: exited with ${exitCode}: ${stderr.trim().split('\n').slice(-5).join(' | ').slice(0, 600)}`);
    this.name = 'ChildFailedError';
  }
}

/** Spawns `command args`, waits for it, and returns its wall time, peak RSS and output. */
export async function runChild(command: string, args: string[], options: RunOptions = {}): Promise<ChildRun> {
  const useTime = existsSync(GNU_TIME);
  const dir = useTime ? await mkdtemp(join(tmpdir(), 'acrkit-bench-time-')) : undefined;
  const timeFile = dir ? join(dir, 'rss') : undefined;
  const [cmd, argv] = timeFile ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  options.signal?.throwIfAborted();
  // A process group of its own, so that stopping it also stops what GNU time (or bash) started:
  // time does not pass signals on, and an orphaned push would skew the next measurement.
  const child = spawn(cmd, argv, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  options.signal?.addEventListener('abort', killGroup, { once: true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(killGroup, options.timeoutMs ?? 600_000);
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    options.signal?.throwIfAborted();
    const usage = timeFile ? await readUsage(timeFile) : {};
    return { seconds, ...usage, exitCode, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', killGroup);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Like runChild, but throws ChildFailedError on a non-zero exit. */
export async function runChildOk(command: string, args: string[], options: RunOptions = {}): Promise<ChildRun> {
  const run = await runChild(command, args, options);
  if (run.exitCode !== 0) throw new ChildFailedError([command, ...args].join(' ').slice(0, 200), run.exitCode, run.stderr || run.stdout);
  return run;
}

async function readUsage(file: string): Promise<{ peakRssMiB?: number; cpuSeconds?: number }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  // GNU time prints "Command exited with non-zero status N" before the format line on failure.
  const [kib, user, sys] = (text.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return {
    peakRssMiB: kib !== undefined && Number.isFinite(kib) && kib > 0 ? kib / 1024 : undefined,
    cpuSeconds: user !== undefined && sys !== undefined && Number.isFinite(user + sys) ? user + sys : undefined,
  };
}
