/**
 * The three readers against archives a real tool wrote (skopeo `oci-archive:` and `docker-archive:`),
 * a hand-made `docker save` archive with uncompressed layers, and tampered or ambiguous inputs.
 */
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOciLayout, type OciLayoutResult } from '../../../../test/support/gen-oci-layout';
import { computeDigest } from '../../src/oci/digest';
import { ArchiveError } from '../../src/sources/archive-error';
import { openDockerArchive } from '../../src/sources/docker-archive';
import type { ImageSource } from '../../src/sources/image-source';
import { openOciArchive } from '../../src/sources/oci-archive';
import { openOciLayout } from '../../src/sources/oci-layout-source';

const run = promisify(execFile);
let work: string;
let layout: OciLayoutResult;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-sources-'));
  layout = await generateOciLayout({ dir: join(work, 'layout'), layers: 2, seed: 'sources', tag: 'v1' });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function bytes(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of iterable) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function readWholeImage(source: ImageSource, tag?: string) {
  const root = await source.resolve(tag);
  const manifest = JSON.parse(Buffer.from(await source.fetchManifest(root)).toString()) as { config: { digest: string }; layers: Array<{ digest: string; size: number; mediaType: string }> };
  for (const blob of [manifest.config, ...manifest.layers]) {
    const data = await bytes(source.openBlob(blob as never));
    expect(computeDigest(data)).toBe(blob.digest);
    expect(await source.blobSize(blob as never)).toBe(data.length);
  }
  return { root, manifest };
}

describe('OCI layout directory', () => {
  it('resolves by ref.name, or the only image, and refuses unknown tags naming what it has', async () => {
    const source = await openOciLayout(layout.dir);
    expect((await source.resolve('v1')).digest).toBe(layout.manifestDigest);
    expect((await source.resolve()).digest).toBe(layout.manifestDigest);
    await readWholeImage(source);
    const err = await source.resolve('nope').catch((e: unknown) => e);
    expect(ArchiveError.is(err, 'not-found')).toBe(true);
    expect((err as Error).message).toMatch(/no image tagged "nope" \(has v1\)/);
    await source.close();
  });

  it('refuses a directory that is not a layout and a manifest that does not match its digest', async () => {
    await expect(openOciLayout(join(work, 'nothing-here'))).rejects.toSatisfy((e) => ArchiveError.is(e, 'invalid-archive'));
    const tampered = join(work, 'tampered');
    await run('cp', ['-r', layout.dir, tampered]);
    const file = join(tampered, 'blobs', 'sha256', layout.manifestDigest.slice(7));
    await writeFile(file, (await readFile(file, 'utf8')).replace('"schemaVersion":2', '"schemaVersion": 2'));
    const source = await openOciLayout(tampered);
    await expect(source.fetchManifest(await source.resolve('v1'))).rejects.toSatisfy((e) => ArchiveError.is(e, 'digest-mismatch'));
  });
});

describe('OCI archive', () => {
  it('reads what skopeo wrote, plain and gzip\'d, without extracting', async () => {
    const file = join(work, 'image.oci.tar');
    await run('skopeo', ['copy', `oci:${layout.dir}:v1`, `oci-archive:${file}:v1`]);
    const source = await openOciArchive(file);
    expect(source.description).toContain(file);
    expect((await readWholeImage(source, 'v1')).root.digest).toBe(layout.manifestDigest);
    await source.close();

    const gz = `${file}.gz`;
    await pipeline(createReadStream(file), createGzip(), createWriteStream(gz));
    const zipped = await openOciArchive(gz);
    expect((await readWholeImage(zipped)).root.digest).toBe(layout.manifestDigest);
    await zipped.close();
  });
});

describe('docker save archive', () => {
  it('converts what skopeo wrote (uncompressed layers, as docker save) into a schema 2 manifest', async () => {
    const file = join(work, 'image.docker.tar');
    await run('skopeo', ['copy', `oci:${layout.dir}:v1`, `docker-archive:${file}:team/app:v1`]);
    const source = await openDockerArchive(file);
    expect(await source.tags()).toEqual(['docker.io/team/app:v1']);
    const { root, manifest } = await readWholeImage(source, 'v1');
    expect(root.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(Array(2).fill('application/vnd.docker.image.rootfs.diff.tar'));
    const diffIds = await Promise.all(layout.layerDigests.map(async (d) => computeDigest(gunzipSync(await readFile(join(layout.dir, 'blobs', 'sha256', d.slice(7)))))));
    expect(manifest.layers.map((l) => l.digest)).toEqual(diffIds);
    await source.close();
  });

  it('keeps layers as stored (plain or gzip) and checks them against diff_ids', async () => {
    const gzipped = await readFile(join(layout.dir, 'blobs', 'sha256', layout.layerDigests[1]!.slice(7)));
    const layer = gunzipSync(await readFile(join(layout.dir, 'blobs', 'sha256', layout.layerDigests[0]!.slice(7))));
    const diffId = computeDigest(layer);
    const diffIds = [diffId, computeDigest(gunzipSync(gzipped))];
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } }));
    const configName = `${computeDigest(config).slice(7)}.json`;
    const manifest = JSON.stringify([{ Config: configName, RepoTags: ['app:1', 'app:latest'], Layers: ['abc/layer.tar', 'def/layer.tar'] }]);
    const file = await dockerSave('handmade.tar', { 'manifest.json': manifest, [configName]: config, 'abc/layer.tar': layer, 'def/layer.tar': gzipped });
    const source = await openDockerArchive(file);
    // One image saved under two names is not ambiguous.
    expect(await source.resolve()).toEqual(await source.resolve('1'));
    const { manifest: m } = await readWholeImage(source, 'latest');
    expect(m.layers).toEqual([
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar', digest: diffId, size: layer.length },
      { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: layout.layerDigests[1], size: gzipped.length },
    ]);

    const bad = await dockerSave('tampered.tar', {
      'manifest.json': manifest, [configName]: config, 'abc/layer.tar': Buffer.concat([layer, Buffer.alloc(512)]), 'def/layer.tar': gzipped,
    });
    const tampered = await openDockerArchive(bad);
    const err = await tampered.resolve('1').catch((e: unknown) => e);
    expect(ArchiveError.is(err, 'digest-mismatch')).toBe(true);
    expect((err as Error).message).toContain('abc/layer.tar');
  });

  it('refuses an archive without manifest.json and one whose manifest.json is malformed', async () => {
    await expect(openDockerArchive(await dockerSave('empty.tar', { 'x': 'y' }))).rejects.toSatisfy((e) => ArchiveError.is(e, 'not-found'));
    await expect(openDockerArchive(await dockerSave('bad.tar', { 'manifest.json': '[{"Config":1}]' })))
      .rejects.toThrow(/manifest.json\[0\]: Config must be a path/);
  });
});

async function dockerSave(name: string, files: Record<string, string | Buffer>): Promise<string> {
  const file = join(work, name);
  const p = pack();
  for (const [path, body] of Object.entries(files)) p.entry({ name: path }, body);
  p.finalize();
  await pipeline(p, createWriteStream(file));
  return file;
}
