/**
 * push from the built bundle against the rig with the admin user: `latest` follows the highest stable
 * version already in the repository (a backport does not take it), a cancelled push tags nothing, and a
 * missing source fails naming it.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRig, type Rig } from '../../../test/rig/rig';
import { generateOciLayout, type OciLayoutResult } from '../../../test/support/gen-oci-layout';
import { expectNoSecrets } from '../../../test/support/secret-scan';
import { runSkopeo } from '../../../test/support/skopeo';
import { ActionRunner, pushEvent, visibleLog } from './support/run-action';

let rig: Rig;
let work: string;
let v2: OciLayoutResult;
let v193: OciLayoutResult;

beforeAll(async () => {
  rig = await startRig();
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-rules-'));
  v2 = await generateOciLayout({ dir: join(work, 'v2'), seed: 'v2.0.0' });
  v193 = await generateOciLayout({ dir: join(work, 'v193'), seed: 'v1.9.3' });
});
afterAll(async () => {
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

function runner(name: string, ref: string): ActionRunner {
  return new ActionRunner({
    workDir: join(work, name),
    env: { NODE_EXTRA_CA_CERTS: rig.caFile, ...pushEvent(ref, 'feedface'.repeat(5)) },
  });
}
const admin = () => ({ registry: rig.loginServer, username: rig.admin.username, password: rig.admin.password });
const skopeo = (...args: string[]) => {
  const [verb, ...rest] = args;
  const auth = verb === 'copy'
    ? ['--src-creds', `${rig.admin.username}:${rig.admin.password}`, '--src-cert-dir', rig.certDir]
    : ['--creds', `${rig.admin.username}:${rig.admin.password}`, '--cert-dir', rig.certDir];
  return runSkopeo([verb as string, ...auth, ...rest]);
};

describe('push rules (bundled)', () => {
  test('a backport v1.9.3 after v2.0.0 does not move latest', async () => {
    const first = await runner('v2', 'refs/tags/v2.0.0').main({ ...admin(), command: 'push', image: 'svc', source: `oci-layout:${v2.dir}` });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.outputs['tag-names']).toBe('2.0.0\n2.0\n2\nsha-feedfac\nlatest');
    const backport = await runner('v193', 'refs/tags/v1.9.3').main({ ...admin(), command: 'push', image: 'svc', source: `oci-layout:${v193.dir}` });
    expect(backport.code, backport.stdout + backport.stderr).toBe(0);
    expect(backport.outputs['tag-names']).toBe('1.9.3\n1.9\n1\nsha-feedfac');
    const latest = await skopeo('inspect', '--raw', `docker://${rig.loginServer}/svc:latest`);
    expect(latest.code, latest.stderr).toBe(0);
    const digest = await skopeo('inspect', '--format', '{{.Digest}}', `docker://${rig.loginServer}/svc:latest`);
    expect(digest.stdout.trim()).toBe(v2.manifestDigest);
    expectNoSecrets([visibleLog(first.stdout).text, visibleLog(backport.stdout).text, first.stderr, backport.stderr], [rig.admin.password]);
  });

  test.each(['SIGINT', 'SIGTERM'] as const)('%s during the push stops it and tags nothing', async (sig) => {
    const big = await generateOciLayout({ dir: join(work, `big-${sig}`), layers: 4, layerSize: 6 * 1024 * 1024, seed: `cancel-${sig}` });
    const run = await runner(`cancel-${sig}`, 'refs/tags/v3.0.0').main(
      { ...admin(), command: 'push', image: `cancelled-${sig.toLowerCase()}`, source: `oci-layout:${big.dir}` },
      { interruptOn: /::group::Pushing/, interruptWith: sig },
    );
    expect(run.code).toBe(1);
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? run.stdout.slice(-3000);
    expect(error).toMatch(new RegExp(`::error::.*cancelled \\(${sig}\\)`));
    const tags = await skopeo('list-tags', `docker://${rig.loginServer}/cancelled-${sig.toLowerCase()}`);
    const listed: string[] = tags.code === 0 ? (JSON.parse(tags.stdout).Tags ?? []) : [];
    expect(listed).toEqual([]);
  });

  test('a missing source fails naming it, before tagging anything', async () => {
    const run = await runner('missing', 'refs/heads/main').main({ ...admin(), command: 'push', image: 'nothing', source: `oci-layout:${join(work, 'nope')}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::.*${join(work, 'nope').replace(/[/.]/g, '\\$&')}`));
  });

  test('pushes oci-archive and docker-archive files (made by skopeo) and reports platform and size', async () => {
    const oci = join(work, 'image.oci.tar');
    const docker = join(work, 'image.docker.tar');
    expect((await runSkopeo(['copy', `oci:${v2.dir}`, `oci-archive:${oci}`])).code).toBe(0);
    expect((await runSkopeo(['copy', `oci:${v2.dir}`, `docker-archive:${docker}:app:v1`])).code).toBe(0);
    for (const [source, repo] of [[`oci-archive:${oci}`, 'from-oci-archive'], [`docker-archive:${docker}`, 'from-docker-archive']]) {
      const run = await runner(repo as string, 'refs/heads/main').main({ ...admin(), command: 'push', image: repo as string, source: source as string, tags: 'type=raw,value=v1' });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.summary).toMatch(/\| linux\/amd64 \| \d+(\.\d)? (B|KiB) \|/);
      const inspect = await skopeo('inspect', '--format', '{{.Digest}}', `docker://${rig.loginServer}/${repo}:v1`);
      expect(inspect.stdout.trim()).toBe(run.outputs.digest);
    }
  });

  test('a pull-only identity is told it needs AcrPush, naming itself and the repository', async () => {
    const run = await runner('pullonly', 'refs/heads/main').main({
      registry: rig.loginServer, command: 'push', image: 'locked-out', source: `oci-layout:${v2.dir}`,
      'client-id': rig.entra.pullOnly.clientId, 'tenant-id': rig.entra.tenantId, 'client-secret': rig.entra.pullOnly.clientSecret,
      'authority-host': rig.entra.authorityHost,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`::error::push ${rig.loginServer}/locked-out: .*service principal \\(client-id ${rig.entra.pullOnly.clientId}\\) was refused: it needs AcrPush`));
    expectNoSecrets([visibleLog(run.stdout).text, run.stderr], [rig.entra.pullOnly.clientSecret]);
  });

  test('docker:IMAGE without a Docker CLI says what to use instead', async () => {
    const run = await runner('nodocker', 'refs/heads/main').main({ ...admin(), command: 'push', image: 'x', source: 'docker:app:dev' }, { env: { PATH: '/nonexistent' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/source docker:app:dev needs the Docker CLI and a running daemon; use oci-layout:, oci-archive: or docker-archive: instead/);
  });

  test('an index goes up with all its platforms; skopeo copies every platform back byte for byte', async () => {
    const dir = join(work, 'multi');
    await mkdir(join(dir, 'blobs/sha256'), { recursive: true });
    const platforms = [['amd64', v2], ['arm64', v193]] as const;
    const manifests = [];
    for (const [architecture, layout] of platforms) {
      await cp(join(layout.dir, 'blobs/sha256'), join(dir, 'blobs/sha256'), { recursive: true });
      const size = (await stat(join(layout.dir, 'blobs/sha256', layout.manifestDigest.slice(7)))).size;
      manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: layout.manifestDigest, size, platform: { os: 'linux', architecture } });
    }
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
    const indexDigest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
    await writeFile(join(dir, 'blobs/sha256', indexDigest.slice(7)), index);
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{
      mediaType: 'application/vnd.oci.image.index.v1+json', digest: indexDigest, size: index.length, annotations: { 'org.opencontainers.image.ref.name': 'multi' },
    }] }));

    const run = await runner('multi', 'refs/heads/main').main({ ...admin(), command: 'push', image: 'multi', source: `oci-layout:${dir}:multi`, tags: 'edge' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.digest).toBe(indexDigest);
    expect(run.summary).toContain('| linux/amd64, linux/arm64 |');
    const out = join(work, 'multi-pulled');
    const pulled = await skopeo('copy', '--all', `docker://${rig.loginServer}/multi:edge`, `oci:${out}:edge`);
    expect(pulled.code, pulled.stderr).toBe(0);
    for (const digest of [indexDigest, v2.manifestDigest, v193.manifestDigest, ...v2.layerDigests, ...v193.layerDigests]) {
      const name = digest.slice(7);
      expect((await readFile(join(out, 'blobs/sha256', name))).equals(await readFile(join(dir, 'blobs/sha256', name))), digest).toBe(true);
    }
  });

  test('push source must be one of the documented forms', async () => {
    const run = await runner('form', 'refs/heads/main').main({ ...admin(), command: 'push', image: 'x', source: 'ftp://x' });
    expect(run.stdout).toMatch(/input "source": "ftp:\/\/x" is not accepted: expected oci-layout:PATH, oci-archive:PATH, docker-archive:PATH or docker:IMAGE/);
  });
});
