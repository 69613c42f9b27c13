/**
 * The set-up of Action tests that need a registry without the rig's auth and TLS: a bare Distribution
 * on loopback, a work directory, and an OCI layout tagged `built` in it, started before the file's
 * tests and removed after them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startBareRegistry, type BareRegistry } from '../../../../test/rig/bare-registry';
import { generateOciLayout, type OciLayoutResult } from '../../../../test/support/gen-oci-layout';

export interface BareRegistryJob {
  registry: BareRegistry;
  work: string;
  layout: OciLayoutResult;
}

/** Registers the hooks; the returned object is filled in once `beforeAll` ran. `seed` makes the layout's content. */
export function useBareRegistryJob(seed: string): BareRegistryJob {
  const job = {} as BareRegistryJob;
  beforeAll(async () => {
    job.registry = await startBareRegistry();
    job.work = await mkdtemp(join(tmpdir(), `acrkit-action-${seed}-`));
    job.layout = await generateOciLayout({ dir: join(job.work, 'layout'), layers: 2, layerSize: 4096, seed, tag: 'built' });
  });
  afterAll(async () => {
    await job.registry?.stop();
    if (job.work) await rm(job.work, { recursive: true, force: true });
  });
  return job;
}
