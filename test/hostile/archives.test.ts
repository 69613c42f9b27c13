/**
 * Hostile archives (OCI archive, `docker save` tarball) read through core's sources: entries with
 * `..`, absolute paths and links leaving the archive are refused before anything is read through
 * them; content that does not hash to its name is refused, and a push of it leaves nothing on the rig.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticCredential } from '../../packages/core/src/auth/credential';
import { createRegistryTransport } from '../../packages/core/src/auth/registry-transport';
import { ImageOperationError } from '../../packages/core/src/registry/image-operation-error';
import { pushImage } from '../../packages/core/src/registry/push-image';
import { Repository } from '../../packages/core/src/registry/repository';
import { ArchiveError } from '../../packages/core/src/sources/archive-error';
import { openDockerArchive } from '../../packages/core/src/sources/docker-archive';
import { openOciArchive } from '../../packages/core/src/sources/oci-archive';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import { startRig, type Rig } from '../rig/rig';

type Entry = { header: Partial<Header> & { name: string }; body?: Buffer };

let work: string;
let layout: OciLayoutResult;
let ociEntries: Entry[];
let rig: Rig;
let counter = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'acrkit-hostile-archives-'));
  layout = await generateOciLayout({ dir: join(work, 'layout'), layers: 2, seed: `hostile-${Date.now()}`, tag: 'v1' });
  ociEntries = await layoutEntries(layout.dir);
  rig = await startRig();
}, 120_000);

afterAll(async () => {
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function layoutEntries(dir: string): Promise<Entry[]> {
  const out: Entry[] = [{ header: { name: 'oci-layout' }, body: await readFile(join(dir, 'oci-layout')) },
    { header: { name: 'index.json' }, body: await readFile(join(dir, 'index.json')) }];
  for (const name of await readdir(join(dir, 'blobs', 'sha256'))) {
    out.push({ header: { name: `blobs/sha256/${name}` }, body: await readFile(join(dir, 'blobs', 'sha256', name)) });
  }
  return out;
}

/** Writes `entries` as a tar (gzip'd when asked) and returns its path. */
async function writeTar(entries: Entry[], gzip = false): Promise<string> {
  const file = join(work, `archive-${++counter}.tar${gzip ? '.gz' : ''}`);
  const p = pack();
  for (const e of entries) p.entry({ ...e.header, ...(e.body && { size: e.body.length }) }, e.body ?? Buffer.alloc(0));
  p.finalize();
  if (gzip) await pipeline(p, createGzip(), createWriteStream(file));
  else await pipeline(p, createWriteStream(file));
  return file;
}

async function refusal(promise: Promise<unknown>): Promise<ArchiveError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(ArchiveError.is(err), `expected an ArchiveError, got ${String(err)}`).toBe(true);
  return err as ArchiveError;
}

/** Opens, resolves and reads every manifest of the source: where a hostile entry would be followed. */
async function openAndRead(open: Promise<import('../../packages/core/src/sources/image-source').ImageSource>): Promise<void> {
  const source = await open;
  try {
    const root = await source.resolve();
    await source.fetchManifest(root);
  } finally {
    await source.close();
  }
}

const blobName = (digest: string) => `blobs/sha256/${digest.slice(7)}`;

describe('OCI archive', () => {
  it('a well-formed archive opens (control for the cases below)', async () => {
    const source = await openOciArchive(await writeTar(ociEntries));
    expect((await source.resolve()).digest).toBe(layout.manifestDigest);
    await source.close();
  });

  it.each<[string, (e: Entry[]) => Entry[], boolean?]>([
    ['an entry named ../evil', (e) => [...e, { header: { name: '../evil' }, body: Buffer.from('x') }]],
    ['an entry named blobs/../../evil', (e) => [...e, { header: { name: 'blobs/../../evil' }, body: Buffer.from('x') }]],
    ['an absolute entry /tmp/evil', (e) => [...e, { header: { name: '/tmp/evil' }, body: Buffer.from('x') }]],
    ['a pax long name climbing out', (e) => [...e, { header: { name: `../${'a'.repeat(150)}` }, body: Buffer.from('x') }]],
    ['a blob that is a symlink to ../../../../etc/passwd', (e) => swap(e, blobName(layout.layerDigests[0]!), { name: blobName(layout.layerDigests[0]!), type: 'symlink', linkname: '../../../../etc/passwd' })],
    ['a blob that is a symlink to /etc/passwd', (e) => swap(e, blobName(layout.layerDigests[0]!), { name: blobName(layout.layerDigests[0]!), type: 'symlink', linkname: '/etc/passwd' })],
    ['index.json as a hard link to ../index.json', (e) => swap(e, 'index.json', { name: 'index.json', type: 'link', linkname: '../index.json' })],
    ['a gzip\'d archive with ../evil', (e) => [...e, { header: { name: '../evil' }, body: Buffer.from('x') }], true],
  ])('refuses %s as unsafe-entry', async (_name, mutate, gzip) => {
    const err = await refusal(openAndRead(openOciArchive(await writeTar(mutate(ociEntries), gzip))));
    expect(err.code).toBe('unsafe-entry');
    expect(err.message).toMatch(/refusing (entry|link) "/);
  });

  it('refuses a manifest blob whose bytes do not hash to its name (digest-mismatch)', async () => {
    const name = blobName(layout.manifestDigest);
    const original = ociEntries.find((e) => e.header.name === name)!.body!;
    const tampered = Buffer.from(original.toString().replace('"schemaVersion":2', '"schemaVersion": 2'));
    const err = await refusal(openAndRead(openOciArchive(await writeTar(replaceBody(ociEntries, name, tampered)))));
    expect(err.code).toBe('digest-mismatch');
  });

  it('a layer whose bytes do not match its digest fails the push on the source side; the rig gets no tag and no such blob', async () => {
    const digest = layout.layerDigests[1]!;
    const original = ociEntries.find((e) => e.header.name === blobName(digest))!.body!;
    const tampered = Buffer.from(original);
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff;
    const source = await openOciArchive(await writeTar(replaceBody(ociEntries, blobName(digest), tampered)));
    const repo = new Repository({ transport: createRegistryTransport({ credentials: staticCredential(rig.admin) }), registry: rig.loginServer, repository: 'hostile/layer' });
    const err = await pushImage(source, repo, { tags: ['v1'] }).then(() => undefined, (e: unknown) => e).finally(() => source.close());
    expect(ImageOperationError.is(err, 'source'), String(err)).toBe(true);
    expect((err as Error).message).toContain(digest);
    expect(await repo.tryResolve('v1')).toBeUndefined();
    expect(await repo.blobExists(digest)).toBe(false);
  });
});

describe('docker save archive', () => {
  /** A minimal `docker save` tarball: one uncompressed layer, its config and manifest.json. */
  function dockerEntries(manifest?: (m: Record<string, unknown>) => Record<string, unknown>, layerBody?: Buffer): Entry[] {
    const layerTar = Buffer.concat([Buffer.from('any bytes hash the same way a layer tar does'), Buffer.alloc(1024)]);
    const diffId = `sha256:${createHash('sha256').update(layerTar).digest('hex')}`;
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } }));
    const configName = `${createHash('sha256').update(config).digest('hex')}.json`;
    const base = { Config: configName, RepoTags: ['hostile:v1'], Layers: ['layer/layer.tar'] };
    return [
      { header: { name: 'manifest.json' }, body: Buffer.from(JSON.stringify([manifest ? manifest(base) : base])) },
      { header: { name: configName }, body: config },
      { header: { name: 'layer/layer.tar' }, body: layerBody ?? layerTar },
    ];
  }

  it('a well-formed archive opens (control for the cases below)', async () => {
    await openAndRead(openDockerArchive(await writeTar(dockerEntries())));
  });

  it.each<[string, Entry[]]>([
    ['Layers naming ../../../etc/passwd', dockerEntries((m) => ({ ...m, Layers: ['../../../etc/passwd'] }))],
    ['Config naming /etc/passwd', dockerEntries((m) => ({ ...m, Config: '/etc/passwd' }))],
    ['a layer that is a symlink to /etc/passwd', [...dockerEntries().slice(0, 2), { header: { name: 'layer/layer.tar', type: 'symlink', linkname: '/etc/passwd' } }]],
    ['a layer that is a symlink climbing out', [...dockerEntries().slice(0, 2), { header: { name: 'layer/layer.tar', type: 'symlink', linkname: '../../x' } }]],
  ])('refuses %s, reading nothing outside the archive', async (_name, entries) => {
    const err = await refusal(openAndRead(openDockerArchive(await writeTar(entries))));
    expect(err.code).toBe('unsafe-entry');
    expect(err.message).toMatch(/^\/.*archive-\d+\.tar: refusing (entry|link) "/);
    expect(err.message).not.toContain('root:');
  });

  it('refuses a layer whose content does not match the config\'s diff_id (digest-mismatch)', async () => {
    const err = await refusal(openAndRead(openDockerArchive(await writeTar(dockerEntries(undefined, Buffer.alloc(2048, 7))))));
    expect(err.code).toBe('digest-mismatch');
  });
});

function swap(entries: Entry[], name: string, header: Entry['header']): Entry[] {
  return entries.map((e) => (e.header.name === name ? { header } : e));
}

function replaceBody(entries: Entry[], name: string, body: Buffer): Entry[] {
  return entries.map((e) => (e.header.name === name ? { header: e.header, body } : e));
}
