/**
 * Runs the real-VS-Code tests (scripts/vscode-e2e.sh: VS Code server from npm code-server, headless
 * Chromium, mocha in the extension host against the local rig, then the UI smoke test) as part of
 * `npm test`. The first run on a machine installs the VS Code host (~2.5 min); later runs reuse it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { captureFile, registerSecrets } from '../../../test/support/secret-registry';
import type { RigSecretsDump } from './e2e/harness';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = await mkdtemp(join(tmpdir(), 'acrkit-vscode-e2e-logs-'));
afterAll(() => rm(artifacts, { recursive: true, force: true }));

/**
 * Hands the run's logs (output channels, servers, rig) to the secret harness, with every secret the dev rig
 * handed out (the script copies both into `artifacts` before it cleans up). Returns the logs' names.
 */
async function scanArtifacts(): Promise<string[]> {
  const rig = JSON.parse(await readFile(join(artifacts, 'rig.json'), 'utf8')) as { username: string; password: string; entra: { clientId: string; clientSecret: string } };
  registerSecrets('VS Code e2e rig admin password', { username: rig.username, password: rig.password });
  registerSecrets('VS Code e2e rig client secret', { username: rig.entra.clientId, password: rig.entra.clientSecret });
  const dump = JSON.parse(await readFile(join(artifacts, 'rig.secrets.json'), 'utf8')) as RigSecretsDump;
  registerSecrets('VS Code e2e rig secret', ...dump.rig);
  registerSecrets('VS Code e2e Azurite SAS signature', ...dump.sasSignatures);
  const logs = (await readdir(artifacts, { recursive: true })).filter((f) => f.endsWith('.log'));
  for (const log of logs) captureFile(`VS Code e2e ${log}`, join(artifacts, log));
  return logs;
}

it('passes every extension-host test and the UI smoke test in real VS Code', async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const env = { ...process.env, ACRKIT_E2E_ARTIFACTS: artifacts };
    const child = spawn('bash', [join(root, 'scripts/vscode-e2e.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
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
  // The secret harness scans these after the test; the extension's output channel must be among them.
  expect((await scanArtifacts()).filter((f) => f.endsWith('Container Registries.log'))).not.toEqual([]);
}, 900_000);
