/**
 * Push against a bare Distribution with absolute `Location` headers and no auth: the wire paths
 * (monolithic PUT, PATCH + PUT, skip, mount) work without the rig, and skopeo reads back what we wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOciLayout } from '../../../../test/support/gen-oci-layout';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { ImageOperationError } from '../../src/registry/image-operation-error';
import { pushImage } from '../../src/registry/push-image';
import { Repository } from '../../src/registry/repository';
import { openDockerArchive } from '../../src/sources/docker-archive';
import { openOciArchive } from '../../src/sources/oci-archive';
import { openOciLayout } from '../../src/sources/oci-layout-source';
import { startBareRegistry, type BareRegistry } from '../../../../test/rig/bare-registry';
import { countingTransport, uploads } from './support/counting-transport';

const run = promisify(execFile);
let registry: BareRegistry;
let work: string;
const transport = countingTransport(createUndiciTransport());

beforeAll(async () => {
  registry = await startBareRegistry({ relativeUrls: false });
  work = await mkdtemp(join(tmpdir(), 'acrkit-push-bare-'));
});
afterAll(async () => {
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

const repo = (name: string) => new Repository({ transport, registry: registry.loginServer, repository: name, insecure: true });

describe('pushImage against bare Distribution (absolute Locations)', () => {
  it('pushes small blobs monolithically and large ones with one PATCH, and skopeo reads them back byte-identical', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'two'), layers: 2, layerSize: 3 * 1024 * 1024, seed: 'bare-two', tag: 'v1' });
    const source = await openOciLayout(layout.dir);
    transport.reset();
    const events: string[] = [];
    const result = await pushImage(source, repo('bare/two'), {
      tags: ['v1'], monolithicLimit: 1024 * 1024, onBlob: (e) => events.push(e.action),
    });
    expect(result).toMatchObject({ digest: layout.manifestDigest, tags: ['v1'] });
    expect(events.sort()).toEqual(['uploaded', 'uploaded', 'uploaded']);
    // Config is small (monolithic PUT with body), layers are large (PATCH then empty PUT).
    expect(uploads(transport.seen).filter((r) => r.method === 'PATCH')).toHaveLength(2);
    expect(uploads(transport.seen).filter((r) => r.method === 'POST')).toHaveLength(3);

    const out = join(work, 'two-out');
    await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${registry.loginServer}/bare/two:v1`, `oci:${out}:v1`]);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(layout.manifestDigest);
    for (const name of await readdir(join(out, 'blobs', 'sha256'))) {
      const copied = await readFile(join(out, 'blobs', 'sha256', name));
      expect(copied.equals(await readFile(join(layout.dir, 'blobs', 'sha256', name)))).toBe(true);
    }
    await source.close();
  });

  it('pushes again with one manifest HEAD and no blob request; a second repository mounts', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'again'), layers: 3, seed: 'bare-again', tag: 'v1' });
    const source = await openOciLayout(layout.dir);
    await pushImage(source, repo('bare/again'), { tags: ['v1'] });
    transport.reset();
    await pushImage(source, repo('bare/again'), { tags: ['v1'] });
    expect(transport.seen.map((r) => `${r.method} ${r.path}`)).toEqual([`HEAD /v2/bare/again/manifests/v1`]);

    transport.reset();
    const manifests: string[] = [];
    await pushImage(source, repo('bare/again'), { tags: ['v1', 'extra'], onManifest: (e) => manifests.push(e.reference) });
    expect(transport.seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'HEAD /v2/bare/again/manifests/v1', 'HEAD /v2/bare/again/manifests/extra', 'PUT /v2/bare/again/manifests/extra',
    ]);
    expect(manifests).toEqual(['extra']);

    transport.reset();
    const actions: string[] = [];
    await pushImage(source, repo('bare/mounted'), { tags: ['v1'], mountFrom: 'bare/again', onBlob: (e) => actions.push(e.action) });
    expect(actions).toEqual(['mounted', 'mounted', 'mounted', 'mounted']);
    expect(uploads(transport.seen).filter((r) => r.method !== 'POST')).toEqual([]);
    await source.close();
  });

  it('blames a truncated source blob before sending it, and tags nothing', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'short'), layers: 1, seed: 'bare-short', tag: 'v1' });
    await truncate(join(layout.dir, 'blobs', 'sha256', layout.layerDigests[0]!.slice(7)), 10);
    const source = await openOciLayout(layout.dir);
    transport.reset();
    const err = await pushImage(source, repo('bare/short'), { tags: ['v1'] }).catch((e: unknown) => e);
    expect(ImageOperationError.is(err, 'source')).toBe(true);
    expect((err as Error).message).toContain(`blob ${layout.layerDigests[0]}`);
    expect((err as Error).message).toContain('10 bytes');
    expect(transport.seen.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'))).toEqual([]);
  });

  it('pushes docker save and OCI archives read in place, and skopeo pulls them back', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'archived'), layers: 2, seed: 'bare-archives', tag: 'v1' });
    const dockerTar = join(work, 'docker.tar');
    const ociTar = join(work, 'oci.tar');
    await run('skopeo', ['copy', `oci:${layout.dir}:v1`, `docker-archive:${dockerTar}:app:v1`]);
    await run('skopeo', ['copy', `oci:${layout.dir}:v1`, `oci-archive:${ociTar}:v1`]);

    const docker = await openDockerArchive(dockerTar);
    const pushed = await pushImage(docker, repo('bare/docker'), { tags: ['v1'], sourceTag: 'v1' });
    expect(pushed.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    await docker.close();
    const out = join(work, 'docker-out');
    await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${registry.loginServer}/bare/docker:v1`, `oci:${out}:v1`]);
    const inspected = JSON.parse((await run('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.loginServer}/bare/docker:v1`])).stdout);
    expect(inspected.Digest).toBe(pushed.digest);

    const oci = await openOciArchive(ociTar);
    expect((await pushImage(oci, repo('bare/oci'), { tags: ['v1'] })).digest).toBe(layout.manifestDigest);
    await oci.close();
  });
});
