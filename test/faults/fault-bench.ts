/**
 * Shared set-up of the fault tests: a rig, a fault proxy in front of it, a client transport that talks
 * to the proxy (fast, bounded retries), and a direct client that checks what really is on the rig.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { staticCredential } from '../../packages/core/src/auth/credential';
import { createRegistryTransport } from '../../packages/core/src/auth/registry-transport';
import type { RetryOptions } from '../../packages/core/src/http/retry';
import type { Transport } from '../../packages/core/src/http/transport';
import { parseManifest } from '../../packages/core/src/oci/manifest';
import type { Logger } from '../../packages/core/src/log';
import { Repository } from '../../packages/core/src/registry/repository';
import { startRig, type Rig } from '../rig/rig';
import { expectNoSecrets } from '../support/secret-scan';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** Retries as in production but with short waits, so a test exercising five attempts takes milliseconds. */
export const FAST_RETRY: RetryOptions = { minDelayMs: 5, maxDelayMs: 20 };

export interface FaultBench {
  rig: Rig;
  proxy: FaultProxy;
  work: string;
  /** Debug lines the client logged (scanned for secrets at the end). */
  lines: string[];
  /** A repository reached through the proxy. */
  faulty(repository: string, retry?: RetryOptions): Repository;
  /** A transport through the proxy, with `retry` options. */
  transport(retry?: RetryOptions): Transport;
  /** The same repository reached directly on the rig (for checking outcomes). */
  direct(repository: string): Repository;
  /** Scans what the client logged, and `captured` (error messages the tests kept), for the rig's secrets; then stops everything. */
  stop(captured?: string[]): Promise<void>;
}

/** Starts a rig and a proxy in front of it; `blobRedirects` as the rig's (if undefined, false: blobs come from the registry). */
export async function startFaultBench(options: { blobRedirects?: boolean } = {}): Promise<FaultBench> {
  const rig = await startRig({ blobRedirects: options.blobRedirects ?? false });
  const proxy = await startFaultProxy({ upstream: rig.url, service: rig.loginServer, registryPid: rig.distributionPid });
  const work = await mkdtemp(join(tmpdir(), 'acrkit-faults-'));
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m: string) => void lines.push(m),
    info: (m: string) => void lines.push(m),
    warn: (m: string) => void lines.push(m),
    error: (m: string) => void lines.push(m),
    group: (_name, fn) => fn(),
  };
  const credentials = staticCredential(rig.admin);
  const transport = (retry: RetryOptions = FAST_RETRY) => createRegistryTransport({ credentials, logger, retry });
  const directTransport = createRegistryTransport({ credentials });
  return {
    rig,
    proxy,
    work,
    lines,
    transport,
    faulty: (repository, retry) => new Repository({ transport: transport(retry), registry: proxy.host, repository }),
    direct: (repository) => new Repository({ transport: directTransport, registry: rig.loginServer, repository }),
    stop: async (captured = []) => {
      try {
        expectNoSecrets([...captured, ...lines], rig.secrets());
      } finally {
        await proxy.close();
        await rig.stop();
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err, 'expected the operation to fail').toBeInstanceOf(Error);
  return err as Error;
}

/** The tags of `repo` on the rig, read directly ([] when the repository does not exist). */
export async function tagsOnRig(repo: Repository): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const page of repo.listTags()) out.push(...page.items);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return [];
    throw err;
  }
  return out.sort();
}

/**
 * Asserts that `tag` names a complete image on the rig: the manifest parses, and every blob it names
 * downloads and matches its digest and size (the verifying stream errors otherwise).
 */
export async function expectCompleteImage(repo: Repository, tag: string, digest?: string): Promise<void> {
  const { descriptor, bytes } = await repo.fetchManifest(tag);
  if (digest) expect(descriptor.digest).toBe(digest);
  const manifest = parseManifest(bytes, descriptor.mediaType);
  const blobs = 'layers' in manifest ? [manifest.config, ...manifest.layers] : [];
  expect(blobs.length).toBeGreaterThan(0);
  for (const blob of blobs) {
    const { stream } = await repo.fetchBlob(blob.digest, { expectedSize: blob.size });
    let size = 0;
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) size += chunk.byteLength;
    expect(size).toBe(blob.size);
  }
}

/** How many requests the proxy saw that match. */
export function countSeen(proxy: FaultProxy, method: string, path: RegExp): number {
  return proxy.records.filter((r) => r.method === method && path.test(r.path)).length;
}
