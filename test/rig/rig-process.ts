/**
 * Runs a rig in a child process (`cli.ts --json`), for measurements that must not count the rig's own
 * CPU and memory (the benchmarks' peak RSS) and for people's scripts. The child stops when `stop()` is
 * called or when this process goes away (its stdin closes).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { registerSecrets, withoutCapture } from '../support/secret-registry';
import type { RigInfo, RigOptions } from './rig-types';
import { stopChild } from './stop-child';

/** A rig in another process: its data plus `stop()`. */
export interface RigProcess extends RigInfo {
  pid: number;
  stop(): Promise<void>;
}

/** Starts `cli.ts --json` under tsx and waits for its RigInfo line. `plugins` and `now` cannot cross. */
export async function startRigProcess(options: Omit<RigOptions, 'plugins' | 'now' | 'signal'> = {}): Promise<RigProcess> {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  // The --json line hands the rig's credentials to this process by design: not output, so not captured
  // for the secret harness; its secrets are registered once read.
  const child = withoutCapture(() =>
    spawn(process.execPath, ['--import', 'tsx', cli, '--json', '--options', JSON.stringify(options)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    exited.then(() => undefined),
  ]);
  if (first === undefined) throw new Error(`the rig process exited before it was ready: ${stderr.trim()}`);
  const info = (JSON.parse(first) as { rig: RigInfo }).rig;
  registerSecrets('rig process admin password', info.admin);
  registerSecrets('rig process secret', ...info.secrets);
  return {
    ...info,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}
