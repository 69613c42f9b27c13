/**
 * Runs Debian's skopeo (the independent client tests compare against) without blocking the event loop:
 * the rig runs in the test's own process, so a synchronous spawn would stall its TLS handshakes.
 */
import { execFile } from 'node:child_process';

/** What skopeo printed and how it ended. */
export interface SkopeoResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `skopeo <args>`; never throws for a non-zero exit (tests assert on `code`). */
export function runSkopeo(args: string[], options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<SkopeoResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'skopeo',
      args,
      { signal: options.signal, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
          reject(err);
          return;
        }
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
