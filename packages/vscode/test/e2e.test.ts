/**
 * Runs the real-VS-Code tests (scripts/vscode-e2e.sh: VS Code server from npm code-server, headless
 * Chromium, mocha in the extension host against the local rig, then the UI smoke test) as part of
 * `npm test`. The first run on a machine installs the VS Code host (~2.5 min); later runs reuse it.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

it('passes every extension-host test and the UI smoke test in real VS Code', async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('bash', [join(root, 'scripts/vscode-e2e.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, output }));
  });
  const summary = /^(\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(output);
  if (code !== 0 || !summary) console.log(output);
  expect(summary, 'the suite printed no "N passed, N failed" line').not.toBeNull();
  expect(Number(summary![1])).toBeGreaterThanOrEqual(24);
  expect(Number(summary![2])).toBe(0);
  expect(output).toMatch(/screenshot -> /);
  expect(code).toBe(0);
}, 900_000);
