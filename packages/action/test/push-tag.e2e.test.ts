/**
 * The whole job as the runner runs it, from the built bundles, against the local ACR rig:
 * login (GitHub OIDC → Entra → ACR refresh token), push of a generated OCI layout, tag (promotion to a
 * second repository by mount), then post. skopeo, with the Docker config login wrote, pulls what push
 * pushed byte for byte. Runs under Node 20 and, when installed (scripts/ensure-node24.sh), Node 24.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRig, type Rig } from '../../../test/rig/rig';
import { generateOciLayout, type OciLayoutResult } from '../../../test/support/gen-oci-layout';
import { expectNoSecrets } from '../../../test/support/secret-scan';
import { runSkopeo } from '../../../test/support/skopeo';
import { ActionRunner, node24Path, pushEvent, stepTexts, visibleLog } from './support/run-action';

let rig: Rig;
let work: string;
let layout: OciLayoutResult;

beforeAll(async () => {
  rig = await startRig();
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-push-'));
  layout = await generateOciLayout({ dir: join(work, 'layout'), layers: 3, layerSize: 8192, seed: 'push-e2e', tag: 'built' });
});
afterAll(async () => {
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});


async function blobsOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of await readdir(join(dir, 'blobs/sha256'))) out.set(name, await readFile(join(dir, 'blobs/sha256', name)));
  return out;
}

const nodes: [string, string | undefined][] = [['node 20', process.execPath], ['node 24', node24Path()]];

describe.each(nodes)('login, push, tag, post under %s', (label, node) => {
  test.skipIf(!node)('works end to end; skopeo reads it back byte-identical; nothing secret leaks', async () => {
    const suffix = label.replace(' ', '');
    const r = new ActionRunner({
      workDir: join(work, suffix),
      node,
      event: { repository: { default_branch: 'main', html_url: 'https://github.com/acrkit/acrkit' } },
      env: {
        NODE_EXTRA_CA_CERTS: rig.caFile,
        ...pushEvent('refs/tags/v1.4.0', '1234567890abcdef1234567890abcdef12345678'),
        ACTIONS_ID_TOKEN_REQUEST_URL: rig.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: rig.oidc.requestToken,
      },
    });
    const oidc = {
      registry: rig.loginServer, 'client-id': rig.entra.federatedClientId, 'tenant-id': rig.entra.tenantId, 'authority-host': rig.entra.authorityHost,
    };
    const login = await r.main(oidc);
    expect(login.code, login.stdout + login.stderr).toBe(0);
    const authfile = login.outputs['docker-config'] as string;

    const push = await r.main({ ...oidc, command: 'push', image: `app-${suffix}`, source: `oci-layout:${layout.dir}:built` });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(push.outputs.digest).toBe(layout.manifestDigest);
    expect(push.outputs.image).toBe(`${rig.loginServer}/app-${suffix}@${layout.manifestDigest}`);
    expect(push.outputs['tag-names']!.split('\n')).toEqual(['1.4.0', '1.4', '1', 'sha-1234567', 'latest']);
    expect(push.summary).toContain(`| ${rig.loginServer}/app-${suffix} | \`1.4.0\``);
    expect(push.summary).toContain(layout.manifestDigest);

    // An independent client with the credentials login wrote pulls every tag back, byte for byte.
    const out = join(work, `${suffix}-pulled`);
    const pull = await runSkopeo(['copy', '--authfile', authfile, '--src-cert-dir', rig.certDir, `docker://${rig.loginServer}/app-${suffix}:1.4`, `oci:${out}:pulled`]);
    expect(pull.code, pull.stderr).toBe(0);
    const [pushed, pulled] = [await blobsOf(layout.dir), await blobsOf(out)];
    for (const [digest, bytes] of pushed) expect(pulled.get(digest)?.equals(bytes), digest).toBe(true);

    // Promote the same image to another repository by digest: blobs mount, tags follow the rules.
    rig.resetRequests();
    const tag = await r.main({ ...oidc, command: 'tag', image: `prod-${suffix}`, source: `app-${suffix}@${layout.manifestDigest}`, tags: 'type=raw,value=stable\ntype=sha,length=10' });
    expect(tag.code, tag.stdout + tag.stderr).toBe(0);
    expect(tag.outputs.tags).toBe(`${rig.loginServer}/prod-${suffix}:stable\n${rig.loginServer}/prod-${suffix}:sha-1234567890`);
    const prodUploads = rig.requests.filter((q) => q.path.startsWith(`/v2/prod-${suffix}/blobs/uploads`));
    expect(prodUploads.length).toBeGreaterThan(0);
    expect(prodUploads.every((q) => q.method === 'POST' && q.query.includes('mount=') && q.status === 201)).toBe(true);
    expect(rig.requests.every((q) => q.identity === undefined || q.identity === `entra:${rig.entra.federatedClientId}`)).toBe(true);
    const tags = await runSkopeo(['list-tags', '--authfile', authfile, '--cert-dir', rig.certDir, `docker://${rig.loginServer}/prod-${suffix}`]);
    expect(JSON.parse(tags.stdout).Tags.sort()).toEqual(['sha-1234567890', 'stable']);

    const post = await r.post(login);
    expect(post.code).toBe(0);
    const after = await readFile(authfile, 'utf8').catch(() => '');
    expect(after).not.toContain(rig.loginServer);
    const denied = await runSkopeo(['list-tags', '--authfile', authfile, '--cert-dir', rig.certDir, `docker://${rig.loginServer}/prod-${suffix}`]);
    expect(denied.code).not.toBe(0);

    // Everything the steps registered as secret (GitHub ID tokens, ACR refresh token, Docker auth value),
    // plus the runner's request token, must be absent from everything the runner would show or keep.
    const masked = [login, push, tag].flatMap((s) => visibleLog(s.stdout).masked);
    const config = JSON.parse(await readFile(join(work, suffix, 'home/.docker/config.json'), 'utf8').catch(() => '{}')) as object;
    expect(masked.length).toBeGreaterThanOrEqual(3);
    expect(config).not.toHaveProperty(['auths', rig.loginServer]);
    expectNoSecrets(stepTexts(login, push, tag, post), [...new Set(masked), rig.oidc.requestToken]);
  });
});
