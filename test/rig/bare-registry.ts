/**
 * A bare Docker Distribution registry (plain HTTP, no auth, deletes enabled) on a free loopback port,
 * for tests that do not need the full rig: the ARM stand-in's own tests, the Action's insecure-registry
 * test, and core tests of wire behaviour the rig does not show (absolute `Location` headers with
 * `relativeUrls: false`). The full rig puts the ACR front, tokens and TLS in front of the same binary.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REGISTRY_BIN } from './distribution';
import { stopChild } from './stop-child';

export interface BareRegistry {
  /** `127.0.0.1:<port>` */
  loginServer: string;
  stop(): Promise<void>;
}

export interface BareRegistryOptions {
  /** Distribution's `http.relativeurls`: false makes upload `Location`s absolute. If undefined, true (as the rig). */
  relativeUrls?: boolean;
}

/** Starts `docker-registry serve` with storage in a temporary directory; resolves once `/v2/` answers. */
export async function startBareRegistry(options: BareRegistryOptions = {}): Promise<BareRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-bare-registry-'));
  const port = await freePort();
  const config = {
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, 'data') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, relativeurls: options.relativeUrls ?? true },
  };
  await writeFile(join(dir, 'config.yml'), JSON.stringify(config)); // JSON is YAML
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const loginServer = `127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    if (await fetch(`http://${loginServer}/v2/`).then((r) => r.status === 200, () => false)) return { loginServer, stop };
    await sleep(50);
  }
  await stop();
  throw new Error(`docker-registry did not start on ${loginServer}`);
}
