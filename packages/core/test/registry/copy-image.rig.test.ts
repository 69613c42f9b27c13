/**
 * Copy, index push, catalog and failures against the rig (real Distribution behind the ACR
 * stand-in) and, for copies between registries, a second bare Distribution.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { generateOciLayout } from '../../../../test/support/gen-oci-layout';
import { expectNoSecrets } from '../../../../test/support/secret-scan';
import { runSkopeo } from '../../../../test/support/skopeo';
import { staticCredential } from '../../src/auth/credential';
import { createRegistryTransport } from '../../src/auth/registry-transport';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { RegistryError } from '../../src/http/registry-error';
import { DigestMismatchError } from '../../src/oci/digest';
import { listRepositories } from '../../src/registry/catalog';
import { copyImage } from '../../src/registry/copy-image';
import { ImageOperationError } from '../../src/registry/image-operation-error';
import { collectAll } from '../../src/registry/paged-list';
import { pushImage } from '../../src/registry/push-image';
import { Repository } from '../../src/registry/repository';
import { openOciLayout } from '../../src/sources/oci-layout-source';
import { startBareRegistry, type BareRegistry } from '../../../../test/rig/bare-registry';
import { expectLayoutCopied } from './support/blobs-match';
import { countingTransport, uploads } from './support/counting-transport';
import { generateIndexLayout, type IndexLayout } from './support/index-layout';

let rig: Rig;
let bare: BareRegistry;
let work: string;
let multi: IndexLayout;
const base = countingTransport(createUndiciTransport());
const messages: string[] = [];
let transport: ReturnType<typeof createRegistryTransport>;
const repo = (name: string) => new Repository({ transport, registry: rig.loginServer, repository: name });

beforeAll(async () => {
  [rig, bare] = await Promise.all([startRig(), startBareRegistry({ relativeUrls: false })]);
  work = await mkdtemp(join(tmpdir(), 'acrkit-copy-rig-'));
  transport = createRegistryTransport({ credentials: staticCredential(rig.admin), base });
  multi = await generateIndexLayout(join(work, 'multi'), 'copy-multi');
  const source = await openOciLayout(multi.dir);
  await pushImage(source, repo('copy/src'), { tags: ['multi'] });
  await source.close();
}, 120_000);

afterAll(async () => {
  if (rig) expectNoSecrets(messages, rig.secrets());
  await Promise.all([rig?.stop(), bare?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  messages.push((err as Error).message);
  return err as Error;
}

describe('an index', () => {
  it('is pushed children first, and skopeo copies every platform back out byte-identical', async () => {
    const out = join(work, 'multi-out');
    const result = await runSkopeo([
      'copy', '--all', '--src-cert-dir', rig.certDir, '--src-creds', `${rig.admin.username}:${rig.admin.password}`,
      `docker://${rig.loginServer}/copy/src:multi`, `oci:${out}:out`,
    ]);
    expect(result.code).toBe(0);
    await expectLayoutCopied(multi.dir, out, multi.indexDigest);
  });

  it('is copied within the registry by mounting, no layer passing through the client', async () => {
    base.reset();
    const actions: string[] = [];
    const result = await copyImage(repo('copy/src'), 'multi', repo('copy/dst'), { onBlob: (e) => actions.push(e.action) });
    expect(result).toMatchObject({ digest: multi.indexDigest, tags: ['multi'] });
    expect(actions.length).toBe(6);
    expect(new Set(actions)).toEqual(new Set(['mounted']));
    expect(base.seen.filter((r) => r.method === 'GET' && r.path.includes('/blobs/'))).toEqual([]);
    expect(uploads(base.seen).filter((r) => r.method !== 'POST')).toEqual([]);
    for (const child of multi.childDigests) expect((await repo('copy/dst').resolve(child)).digest).toBe(child);
  });

  it('is copied to another registry by streaming blobs through, preserving every digest', async () => {
    const target = new Repository({ transport: createUndiciTransport(), registry: bare.loginServer, repository: 'mirror/app', insecure: true });
    const result = await copyImage(repo('copy/src'), multi.indexDigest, target, { tags: ['m1'] });
    expect(result.digest).toBe(multi.indexDigest);
    const fetched = await target.fetchManifest('m1');
    expect(Buffer.from(fetched.bytes).equals(await readFile(join(multi.dir, 'blobs', 'sha256', multi.indexDigest.slice(7))))).toBe(true);
  });
});

describe('the catalog', () => {
  it('lists repositories page by page and refuses page sizes Distribution rejects', async () => {
    const names = await collectAll(listRepositories({ transport, registry: rig.loginServer, pageSize: 1 }));
    expect(names).toEqual(expect.arrayContaining(['copy/src', 'copy/dst']));
    expect(() => listRepositories({ transport, registry: rig.loginServer, pageSize: 2000 })).toThrow(/from 1 to 1000/);
  });
});

describe('failures name what was asked', () => {
  it('a missing tag: 404 MANIFEST_UNKNOWN from the source', async () => {
    const err = await failure(copyImage(repo('copy/src'), 'nope', repo('copy/other')));
    expect(ImageOperationError.is(err, 'source')).toBe(true);
    expect(err.message).toContain(`copying ${rig.loginServer}/copy/src:nope to ${rig.loginServer}/copy/other:nope`);
    expect(RegistryError.is(err.cause, 'MANIFEST_UNKNOWN')).toBe(true);
  });

  it('wrong credentials: 401 from the registry', async () => {
    const wrong = createRegistryTransport({ credentials: staticCredential({ username: rig.admin.username, password: 'wrong-password' }) });
    const err = await failure(new Repository({ transport: wrong, registry: rig.loginServer, repository: 'copy/src' }).resolve('multi'));
    expect((err as RegistryError).status).toBe(401);
    expect(err.message).not.toContain('wrong-password');
  });

  it('a pull-only token cannot push, and nothing gets tagged', async () => {
    rig.addRepositoryToken({ name: 'puller', password: 'puller-secret-123', repositories: { 'copy/locked': ['pull'] } });
    const puller = createRegistryTransport({ credentials: staticCredential({ username: 'puller', password: 'puller-secret-123' }) });
    const layout = await generateOciLayout({ dir: join(work, 'denied'), layers: 1, seed: 'denied' });
    const source = await openOciLayout(layout.dir);
    const err = await failure(pushImage(source, new Repository({ transport: puller, registry: rig.loginServer, repository: 'copy/locked' }), { tags: ['v1'] }));
    expect(ImageOperationError.is(err, 'destination')).toBe(true);
    expect([401, 403]).toContain((err.cause as RegistryError).status);
    await expect(repo('copy/locked').resolve('v1')).rejects.toMatchObject({ status: 404 });
  });

  it('a corrupted source blob: the source is blamed and nothing gets tagged', async () => {
    const layout = await generateOciLayout({ dir: join(work, 'corrupt'), layers: 2, seed: 'corrupt' });
    const victim = join(layout.dir, 'blobs', 'sha256', layout.layerDigests[1]!.slice(7));
    const bytes = await readFile(victim);
    bytes[100] = bytes[100]! ^ 0xff;
    await writeFile(victim, bytes);
    const source = await openOciLayout(layout.dir);
    const err = await failure(pushImage(source, repo('copy/corrupt'), { tags: ['v1'] }));
    expect(ImageOperationError.is(err, 'source')).toBe(true);
    expect(err.cause).toBeInstanceOf(DigestMismatchError);
    expect(err.message).toContain(layout.layerDigests[1]);
    await expect(repo('copy/corrupt').resolve('v1')).rejects.toMatchObject({ status: 404 });
  });
});
