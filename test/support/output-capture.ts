/**
 * Taps everything a test worker can observe being printed and hands it to the secret registry: the
 * stdout and stderr of every child process (node:child_process spawn, exec, execFile, fork and the sync
 * variants), `console.*`, and `process.stdout`/`process.stderr` writes. Test code imports child_process
 * with ESM named imports, so the CommonJS exports object is patched and `syncBuiltinESMExports()` makes
 * the named bindings follow. A child's pipes are tapped at `push` (where the socket hands data to the
 * stream), which neither consumes data nor switches the stream to flowing mode. Children whose stdio is
 * `inherit` write straight to the worker's descriptors and are not seen (no test does that).
 */
import childProcess, { type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { format, inspect, promisify } from 'node:util';
import { captureSuspended, captureText, safeLabel } from './secret-registry';

const INSTALLED = Symbol.for('acrkit.output-capture');
const MUTED = Symbol.for('acrkit.output-capture.muted');
let children = 0;
const muted = (): boolean => (globalThis as { [MUTED]?: boolean })[MUTED] === true;

/** Runs `fn` with console and process.stdout/stderr captured but not printed (the harness's own tests). */
export function muteOutput<T>(fn: () => T): T {
  const g = globalThis as { [MUTED]?: boolean };
  g[MUTED] = true;
  try {
    return fn();
  } finally {
    g[MUTED] = false;
  }
}

type AnyFn = (...args: unknown[]) => unknown;

function tapStream(stream: Readable | null | undefined, label: string): void {
  if (!stream) return;
  const decoder = new StringDecoder('utf8');
  const push = stream.push;
  stream.push = function (this: Readable, chunk: unknown, encoding?: BufferEncoding): boolean {
    if (typeof chunk === 'string') captureText(label, chunk);
    else if (chunk instanceof Uint8Array) captureText(label, decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    return push.call(this, chunk, encoding);
  };
}

function childLabel(file: unknown): string {
  return safeLabel(`child #${++children} ${basename(String(file)).slice(0, 40)}`);
}

function tapChild(child: ChildProcess, file: unknown): ChildProcess {
  if (captureSuspended()) return child;
  const label = childLabel(file);
  tapStream(child.stdout, `${label} stdout`);
  tapStream(child.stderr, `${label} stderr`);
  return child;
}

function captureOutput(label: string, output: unknown): void {
  if (typeof output === 'string') captureText(label, output);
  else if (output instanceof Uint8Array) captureText(label, Buffer.from(output).toString('utf8'));
}

/** Wraps an async launcher (spawn, exec, execFile, fork): the returned child is tapped. */
function wrapAsync(original: AnyFn): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    return tapChild(original.apply(this, args) as ChildProcess, args[0]);
  };
}

/** `promisify(execFile)` uses execFile's custom promisified form: rebuild it over the wrapped function. */
function withPromisified(wrapped: AnyFn): AnyFn {
  const custom = (...args: unknown[]) => {
    let child: unknown;
    const promise = new Promise((resolve, reject) => {
      child = wrapped(...args, (err: (Error & { stdout?: unknown; stderr?: unknown }) | null, stdout: unknown, stderr: unknown) => {
        if (err) reject(Object.assign(err, { stdout, stderr }));
        else resolve({ stdout, stderr });
      });
    });
    return Object.assign(promise, { child });
  };
  return Object.assign(wrapped, { [promisify.custom]: custom });
}

/** Wraps a sync launcher: captures what it returns, or the output its error carries. */
function wrapSync(original: AnyFn, pick: (result: unknown) => [unknown, unknown]): AnyFn {
  return function (this: unknown, ...args: unknown[]) {
    const label = captureSuspended() ? undefined : childLabel(args[0]);
    const record = (r: unknown) => {
      if (!label) return;
      const [out, err] = pick(r);
      captureOutput(`${label} stdout`, out);
      captureOutput(`${label} stderr`, err);
    };
    try {
      const result = original.apply(this, args);
      record(result);
      return result;
    } catch (err) {
      const e = err as { stdout?: unknown; stderr?: unknown };
      record({ stdout: e.stdout, stderr: e.stderr });
      throw err;
    }
  };
}

const streams = (r: unknown): [unknown, unknown] => [(r as { stdout?: unknown })?.stdout, (r as { stderr?: unknown })?.stderr];
const stdoutOnly = (r: unknown): [unknown, unknown] => (r && typeof r === 'object' && 'stdout' in r ? streams(r) : [r, undefined]);

function patchChildProcess(): void {
  const cp = childProcess as unknown as Record<string, AnyFn>;
  for (const name of ['spawn', 'fork']) cp[name] = wrapAsync(cp[name]!);
  for (const name of ['exec', 'execFile']) cp[name] = withPromisified(wrapAsync(cp[name]!));
  cp.spawnSync = wrapSync(cp.spawnSync!, streams);
  for (const name of ['execSync', 'execFileSync']) cp[name] = wrapSync(cp[name]!, stdoutOnly);
  syncBuiltinESMExports();
}

function patchConsole(): void {
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  for (const m of methods) {
    const original = console[m].bind(console) as AnyFn;
    console[m] = (...args: unknown[]) => {
      captureText('console', `${args.length === 0 ? '' : format(args[0], ...args.slice(1))}\n`);
      if (!muted()) original(...args);
    };
  }
  const dir = console.dir.bind(console);
  console.dir = (item: unknown, options?: object) => {
    captureText('console', `${inspect(item, options)}\n`);
    if (!muted()) dir(item, options);
  };
}

function patchWrite(stream: NodeJS.WriteStream, label: string): void {
  const write = stream.write.bind(stream) as AnyFn;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captureOutput(label, chunk);
    return muted() ? true : write(chunk, ...rest);
  }) as typeof stream.write;
}

/**
 * Installs the taps once per process. The console is patched again per call: vitest may hand each
 * test file a fresh console object.
 */
export function installOutputCapture(): void {
  const g = globalThis as { [INSTALLED]?: typeof console };
  if (g[INSTALLED] === undefined) {
    patchChildProcess();
    patchWrite(process.stdout, 'process.stdout');
    patchWrite(process.stderr, 'process.stderr');
  }
  if (g[INSTALLED] !== console) {
    patchConsole();
    g[INSTALLED] = console;
  }
}
