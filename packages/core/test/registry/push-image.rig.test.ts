/**
 * Acceptance (issue 2) against the real registry behind the ACR stand-in: images pushed with the
 * core from OCI layouts (1 × 64 MiB, 20 layers, 300 small layers) come back out through skopeo
 * byte-identical; a second push uploads nothing; another repository mounts; retag and delete work.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { generateOciLayout, type OciLayoutResult } from '../../../../test/support/gen-oci-layout';
import { expectNoSecrets } from '../../../../test/support/secret-scan';
import { runSkopeo } from '../../../../test/support/skopeo';
import { createRegistryTransport } from '../../src/auth/registry-transport';
import { staticCredential } from '../../src/auth/credential';
import { createUndiciTransport } from '../../src/http/undici-transport';
import type { Logger } from '../../src/log';
import { pushImage } from '../../src/registry/push-image';
import { Repository } from '../../src/registry/repository';
import { tagImage } from '../../src/registry/tag-image';
import { openOciLayout } from '../../src/sources/oci-layout-source';
import { expectLayoutCopied } from './support/blobs-match';
import { countingTransport, uploads } from './support/counting-transport';

let rig: Rig;
let work: string;
const logLines: string[] = [];
const logger: Logger = {
  debug: (m) => void logLines.push(m), info: (m) => void logLines.push(m),
  warn: (m) => void logLines.push(m), error: (m) => void logLines.push(m), group: (_n, fn) => fn(),
};
const base = countingTransport(createUndiciTransport());
let repo: (name: string) => Repository;
const layouts: Record<string, OciLayoutResult> = {};

beforeAll(async () => {
  rig = await startRig();
  work = await mkdtemp(join(tmpdir(), 'acrkit-push-rig-'));
  const transport = createRegistryTransport({ credentials: staticCredential(rig.admin), logger, base });
  repo = (name) => new Repository({ transport, registry: rig.loginServer, repository: name, logger });
  layouts.big = await generateOciLayout({ dir: join(work, 'big'), layers: 1, layerSize: 64 * 1024 * 1024, seed: 'acc-big', tag: 'v1' });
  layouts.twenty = await generateOciLayout({ dir: join(work, 'twenty'), layers: 20, layerSize: 64 * 1024, seed: 'acc-twenty', tag: 'v1' });
  layouts.many = await generateOciLayout({ dir: join(work, 'many'), layers: 300, layerSize: 1024, seed: 'acc-many', tag: 'v1' });
}, 180_000);

afterAll(async () => {
  if (rig) expectNoSecrets(logLines, rig.secrets());
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function skopeoCopyOut(reference: string, out: string): Promise<void> {
  const result = await runSkopeo([
    'copy', '--src-cert-dir', rig.certDir, '--src-creds', `${rig.admin.username}:${rig.admin.password}`,
    `docker://${rig.loginServer}/${reference}`, `oci:${out}:out`,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

const blobRequests = () => base.seen.filter((r) => r.path.includes('/blobs/'));

describe.each(['big', 'twenty', 'many'])('pushing the %s layout', (name) => {
  it('comes back out through skopeo byte-identical', async () => {
    const layout = layouts[name]!;
    const source = await openOciLayout(layout.dir);
    const result = await pushImage(source, repo(`acc/${name}`), { tags: ['v1'] });
    await source.close();
    expect(result).toEqual({ digest: layout.manifestDigest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: expect.any(Number), tags: ['v1'] });
    await skopeoCopyOut(`acc/${name}:v1`, join(work, `${name}-out`));
    await expectLayoutCopied(layout.dir, join(work, `${name}-out`), layout.manifestDigest);
  }, 240_000); // 300 layers through skopeo take long when the two shared cores are busy
});

describe('pushing again', () => {
  it('to the same tag costs one manifest HEAD and uploads no blob', async () => {
    const source = await openOciLayout(layouts.many!.dir);
    base.reset();
    await pushImage(source, repo('acc/many'), { tags: ['v1'] });
    const registryCalls = base.seen.filter((r) => r.path.startsWith('/v2/acc/'));
    expect(registryCalls.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /v2/acc/many/manifests/v1']);
    await source.close();
  });

  it('under a new tag HEADs each blob at most once, uploads none, and tags', async () => {
    const source = await openOciLayout(layouts.many!.dir);
    base.reset();
    const skipped: string[] = [];
    await pushImage(source, repo('acc/many'), { tags: ['v2'], onBlob: (e) => skipped.push(e.action) });
    expect(skipped).toHaveLength(301);
    expect(new Set(skipped)).toEqual(new Set(['skipped']));
    expect(uploads(base.seen)).toEqual([]);
    expect(blobRequests().filter((r) => r.method === 'HEAD' && r.status !== 401)).toHaveLength(301);
    expect((await repo('acc/many').resolve('v2')).digest).toBe(layouts.many!.manifestDigest);
    await source.close();
  }, 120_000);

  it('to a second repository mounts every blob instead of uploading', async () => {
    const source = await openOciLayout(layouts.twenty!.dir);
    base.reset();
    const actions: string[] = [];
    await pushImage(source, repo('acc/twenty-mounted'), { tags: ['v1'], mountFrom: 'acc/twenty', onBlob: (e) => actions.push(e.action) });
    expect(actions).toEqual(Array(21).fill('mounted'));
    expect(uploads(base.seen).filter((r) => r.method !== 'POST')).toEqual([]);
    await source.close();
  });
});

describe('retag and delete', () => {
  it('tags an existing digest without moving a blob, and deletes it by digest', async () => {
    const target = repo('acc/twenty');
    base.reset();
    const tagged = await tagImage(target, 'v1', ['retagged', 'also']);
    expect(tagged).toMatchObject({ digest: layouts.twenty!.manifestDigest, tags: ['retagged', 'also'] });
    expect(blobRequests()).toEqual([]);
    expect((await target.resolve('retagged')).digest).toBe(layouts.twenty!.manifestDigest);
    const pages = [];
    for await (const page of target.listTags()) pages.push(...page.items);
    expect(pages.sort()).toEqual(['also', 'retagged', 'v1']);

    await target.deleteManifest(layouts.twenty!.manifestDigest);
    await expect(target.resolve('v1')).rejects.toMatchObject({ name: 'RegistryError', status: 404 });
  });
});
