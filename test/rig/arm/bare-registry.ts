/**
 * A bare Docker Distribution registry (plain HTTP, no auth) on a free loopback port: the stand-in's
 * target when a test does not need the full rig (its own tests), and the fallback while the rig is
 * being written. The full rig puts the ACR front, tokens and TLS in front of the same binary.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, REGISTRY_BIN } from '../distribution';
import { stopChild } from '../stop-child';

export interface BareRegistry {
  loginServer: string;
  stop(): Promise<void>;
}

/** Starts `/usr/bin/docker-registry serve` with storage in a temporary directory. */
export async function startBareRegistry(): Promise<BareRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-bare-registry-'));
  const port = await freePort();
  await writeFile(join(dir, 'config.yml'), [
    'version: 0.1',
    'log: { level: error }',
    'storage:',
    `  filesystem: { rootdirectory: ${join(dir, 'data')} }`,
    '  delete: { enabled: true }',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  relativeurls: true',
    '',
  ].join('\n'));
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const loginServer = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://${loginServer}/v2/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 100 || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${loginServer}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    loginServer,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
