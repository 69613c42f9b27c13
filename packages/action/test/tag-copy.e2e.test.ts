/**
 * `tag` across registries, from the built bundles: an image in a second rig is promoted into the first
 * by copying registry to registry. The source registry's credentials come from the Docker config an
 * earlier login step wrote; the target gets this step's OIDC identity.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startRig, type Rig } from '../../../test/rig/rig';
import { generateOciLayout } from '../../../test/support/gen-oci-layout';
import { expectNoSecrets } from '../../../test/support/secret-scan';
import { runSkopeo } from '../../../test/support/skopeo';
import { ActionRunner, pushEvent, stepTexts } from './support/run-action';

let target: Rig;
let source: Rig;
let work: string;
beforeAll(async () => {
  [target, source] = await Promise.all([startRig(), startRig()]);
  work = await mkdtemp(join(tmpdir(), 'acrkit-action-copy-'));
});
afterAll(async () => {
  await Promise.all([target?.stop(), source?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

test('promotes an image from another registry by copy; the second login is undone by its post step', async () => {
  const layout = await generateOciLayout({ dir: join(work, 'layout'), seed: 'copy-e2e', layers: 2 });
  const seeded = await runSkopeo(['copy', '--dest-creds', `${source.admin.username}:${source.admin.password}`, '--dest-cert-dir', source.certDir,
    `oci:${layout.dir}:latest`, `docker://${source.loginServer}/upstream/app:rc`]);
  expect(seeded.code, seeded.stderr).toBe(0);

  const job = new ActionRunner({
    workDir: join(work, 'job'),
    env: {
      NODE_EXTRA_CA_CERTS: target.caFile, ...pushEvent('refs/tags/v3.1.4', 'c0ffee'.repeat(6) + 'c0ff'),
      ACTIONS_ID_TOKEN_REQUEST_URL: target.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: target.oidc.requestToken,
    },
  });
  const upstreamLogin = await job.main({ registry: source.loginServer, username: source.admin.username, password: source.admin.password });
  expect(upstreamLogin.code, upstreamLogin.stdout).toBe(0);
  const tag = await job.main({
    command: 'tag', registry: target.loginServer, image: 'released/app', source: `${source.loginServer}/upstream/app:rc`,
    'client-id': target.entra.federatedClientId, 'tenant-id': target.entra.tenantId, 'authority-host': target.entra.authorityHost,
    tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}',
  });
  expect(tag.code, tag.stdout + tag.stderr).toBe(0);
  expect(tag.outputs.digest).toBe(layout.manifestDigest);
  expect(tag.outputs['tag-names']).toBe('3.1.4\n3.1\nlatest');
  const listed = await runSkopeo(['list-tags', '--creds', `${target.admin.username}:${target.admin.password}`, '--cert-dir', target.certDir, `docker://${target.loginServer}/released/app`]);
  expect(JSON.parse(listed.stdout).Tags.sort()).toEqual(['3.1', '3.1.4', 'latest']);
  expect(target.requests.some((r) => r.method === 'PUT' && r.path.startsWith('/v2/released/app/blobs/uploads/'))).toBe(true);

  const post = await job.post(upstreamLogin);
  expect(post.stdout).toMatch(/removed the credentials/);
  expectNoSecrets(stepTexts(upstreamLogin, tag, post), [{ username: source.admin.username, password: source.admin.password }, target.oidc.requestToken]);
});
