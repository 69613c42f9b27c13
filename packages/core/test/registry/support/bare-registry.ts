/**
 * A bare Docker Distribution (no auth, plain http on loopback) for tests of wire behaviour the rig
 * does not show, such as absolute `Location` headers (`relativeurls: false`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REGISTRY_BIN } from '../../../../../test/rig/distribution';

export interface BareRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  storageDir: string;
  stop(): Promise<void>;
}

/** Starts Distribution with deletes enabled; `relativeUrls` defaults to false (absolute Locations). */
export async function startBareRegistry(options: { relativeUrls?: boolean } = {}): Promise<BareRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'acrkit-bare-registry-'));
  const port = await freePort();
  const storageDir = join(dir, 'data');
  const config = {
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, relativeurls: options.relativeUrls ?? false },
  };
  await writeFile(join(dir, 'config.yml'), JSON.stringify(config));
  const child = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.status === 200, () => false);
    if (ok) return { host, storageDir, stop };
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  await stop();
  throw new Error(`docker-registry did not start on ${host}`);
}
