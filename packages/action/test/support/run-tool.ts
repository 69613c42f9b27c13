/**
 * Runs an independent registry client (skopeo, buildah, the docker CLI) without blocking the event loop:
 * the rig serves from the test's own process, so a synchronous spawn would stall its TLS handshakes.
 */
import { execFile } from 'node:child_process';

/** What the tool printed and how it ended. */
export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args`; never throws for a non-zero exit (tests assert on `code`), only when it cannot start. */
export function runTool(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env: options.env ?? process.env, signal: options.signal, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
        reject(err);
        return;
      }
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
