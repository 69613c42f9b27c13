/**
 * Acceptance: skopeo (a client no one here wrote) logs in to the rig with the admin user and with an
 * ACR refresh token as password for the null-GUID user, copies images in, and the core then lists them
 * through @azure/container-registry, newest first.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeOciLayout } from '../../../../test/rig/acr-v1/support/oci-layout';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { createEntraCredentials } from '../../src/acr/entra-credential';
import { createRegistryClient } from '../../src/acr/create-registry-client';
import { ACR_TOKEN_USERNAME } from '../../src/auth/credential';

const run = promisify(execFile);
let rig: Rig;
let dir: string;

beforeAll(async () => {
  rig = await startRig();
  dir = await mkdtemp(join(tmpdir(), 'acrkit-skopeo-'));
});
afterAll(async () => {
  await rig?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function skopeoCopy(tag: string, creds: string): Promise<void> {
  const policy = join(dir, 'policy.json');
  await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  await run('skopeo', [
    '--policy', policy, 'copy', '--preserve-digests', '--dest-cert-dir', rig.certDir, '--dest-creds', creds,
    `oci:${join(dir, 'layout')}:${tag}`, `docker://${rig.loginServer}/skopeo/app:${tag}`,
  ], { timeout: 60_000 });
}

it('lists what skopeo pushed with admin and null-GUID credentials, newest first', async () => {
  const digests = await writeOciLayout(join(dir, 'layout'), ['first', 'second']);
  await skopeoCopy('first', `${rig.admin.username}:${rig.admin.password}`);

  const aad = new ClientSecretCredential(rig.entra.tenantId, rig.entra.clientId, rig.entra.clientSecret, {
    authorityHost: rig.entra.authorityHost,
    disableInstanceDiscovery: true,
  });
  const entra = createEntraCredentials(aad, { loginServers: [rig.loginServer] });
  const refreshToken = await entra.refreshToken(rig.loginServer);
  await skopeoCopy('second', `${ACR_TOKEN_USERNAME}:${refreshToken}`);

  const client = createRegistryClient({ loginServer: rig.loginServer, credentials: entra, backend: 'acr' });
  const page = await client.listTags('skopeo/app');
  expect(page.items.map((t) => [t.name, t.digest])).toEqual([
    ['second', digests.second],
    ['first', digests.first],
  ]);
  expect(page.items[0]!.lastUpdated!.getTime()).toBeGreaterThanOrEqual(page.items[1]!.lastUpdated!.getTime());
  const manifest = await client.getManifest('skopeo/app', digests.first!);
  expect(manifest).toMatchObject({ architecture: 'amd64', os: 'linux', tags: ['first'] });
});
