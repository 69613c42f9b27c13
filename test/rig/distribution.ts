/**
 * Starts Debian's Docker Distribution 2.8 (`/usr/bin/docker-registry`) on a free loopback port with
 * filesystem storage, deletes enabled, relative URLs and token auth trusting the rig's token signer.
 * Reference: rig-recipes.md "Docker Distribution 2.8 with token auth"; acr-wire.md §3.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopChild } from './stop-child';

/** Where Debian installs it; `ACRKIT_REGISTRY_BIN` overrides. */
export const REGISTRY_BIN = process.env.ACRKIT_REGISTRY_BIN ?? '/usr/bin/docker-registry';

/** Options for one Distribution instance. */
export interface DistributionOptions {
  /** Working directory: config, storage (`<dir>/data`) and the process log live here. */
  dir: string;
  /** Token realm (the front's `/oauth2/token` URL). */
  realm: string;
  /** Token service (the login server). */
  service: string;
  issuer: string;
  /** PEM file with the token-signing certificate. */
  rootCertBundle: string;
  signal?: AbortSignal;
}

/** A running Distribution. */
export interface Distribution {
  /** `http://127.0.0.1:<port>` */
  url: string;
  storageDir: string;
  pid: number;
  stop(): Promise<void>;
}

/** Registries still running; killed when this process exits so a crashed test leaves none behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));
  }
}

/** A free loopback port (closed again at once; Distribution binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(o: DistributionOptions, port: number, storageDir: string): string {
  // JSON is valid YAML, and it spares quoting rules for paths.
  return JSON.stringify({
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } },
    http: { addr: `127.0.0.1:${port}`, relativeurls: true },
    auth: { token: { realm: o.realm, service: o.service, issuer: o.issuer, rootcertbundle: o.rootCertBundle } },
  });
}

async function waitReady(url: string, child: ChildProcess, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null) throw new Error(`docker-registry exited with code ${child.exitCode} while starting`);
    // Distribution answers 401 on /v2/ once it is serving (token auth is on).
    const status = await fetch(`${url}/v2/`, { signal }).then((r) => r.status, () => 0);
    if (status === 401 || status === 200) return;
    await sleep(50);
  }
  throw new Error(`docker-registry did not answer on ${url} within 15 s`);
}

/** Starts Distribution and waits until it serves; retries once on a port race. */
export async function startDistribution(o: DistributionOptions): Promise<Distribution> {
  const storageDir = join(o.dir, 'data');
  await mkdir(storageDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configFile = join(o.dir, 'registry.yml');
    await writeFile(configFile, config(o, port, storageDir));
    const child = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    track(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitReady(url, child, o.signal);
    } catch (err) {
      child.kill('SIGKILL');
      await exited;
      if (attempt < 3 && /address already in use/.test(stderr)) continue;
      throw new Error(`${(err as Error).message}; stderr: ${stderr.trim()}`);
    }
    return {
      url,
      storageDir,
      pid: child.pid!,
      stop: () => stopChild(child),
    };
  }
}
