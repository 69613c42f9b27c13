/**
 * The rig against a client no one here wrote: skopeo logs in with the admin user and with the null GUID +
 * an ACR refresh token (from a real @azure/identity credential through the Entra stand-in and
 * /oauth2/exchange), copies an image in and back out byte-identical; pull-only and wrong credentials fail.
 */
import { ClientSecretCredential } from '@azure/identity';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateOciLayout, type OciLayoutResult } from '../support/gen-oci-layout';
import { expectNoSecrets } from '../support/secret-scan';
import { runSkopeo, type SkopeoResult } from '../support/skopeo';
import { NULL_GUID } from './caller';
import { startRig, type Rig } from './rig';

let rig: Rig;
let work: string;
let layout: OciLayoutResult;
const captured: SkopeoResult[] = [];
const derivedSecrets: string[] = [];

async function skopeo(args: string[]): Promise<SkopeoResult> {
  const result = await runSkopeo(args);
  captured.push(result);
  return result;
}

async function exchangeForRefreshToken(clientId: string, clientSecret: string): Promise<string> {
  const credential = new ClientSecretCredential(rig.entra.tenantId, clientId, clientSecret, {
    authorityHost: rig.entra.authorityHost,
    disableInstanceDiscovery: true,
  });
  const aad = await credential.getToken('https://containerregistry.azure.net/.default');
  derivedSecrets.push(aad.token);
  const res = await fetch(`${rig.url}/oauth2/exchange?api-version=2021-07-01`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'access_token', service: rig.loginServer, access_token: aad.token }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { refresh_token: string };
  derivedSecrets.push(body.refresh_token);
  return body.refresh_token;
}

async function expectSameBlobs(outDir: string): Promise<void> {
  const out = await readdir(join(outDir, 'blobs', 'sha256'));
  for (const digest of [layout.manifestDigest, layout.configDigest, ...layout.layerDigests]) {
    const hex = digest.slice('sha256:'.length);
    expect(out).toContain(hex);
    const [a, b] = await Promise.all([readFile(join(layout.dir, 'blobs', 'sha256', hex)), readFile(join(outDir, 'blobs', 'sha256', hex))]);
    expect(b.equals(a)).toBe(true);
  }
}

beforeAll(async () => {
  rig = await startRig();
  work = await mkdtemp(join(tmpdir(), 'acrkit-rig-test-'));
  layout = await generateOciLayout({ dir: join(work, 'in'), layers: 2, seed: 'rig-skopeo' });
});

afterAll(async () => {
  await rig?.stop();
  if (work) await rm(work, { recursive: true, force: true });
  // Whatever passed or failed above, nothing secret may have been printed by skopeo.
  if (rig) {
    expectNoSecrets(captured.flatMap((r) => [r.stdout, r.stderr]), [...rig.secrets(), ...derivedSecrets]);
  }
});

describe('skopeo against the rig', () => {
  test('the admin user copies an image in and back out byte-identical', async () => {
    const creds = `${rig.admin.username}:${rig.admin.password}`;
    const dest = `docker://${rig.loginServer}/rig/admin:v1`;
    const push = await skopeo(['copy', '--dest-creds', creds, '--dest-cert-dir', rig.certDir, `oci:${layout.dir}:latest`, dest]);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    const pull = await skopeo(['copy', '--src-creds', creds, '--src-cert-dir', rig.certDir, dest, `oci:${join(work, 'out-admin')}:v1`]);
    expect(pull.code).toBe(0);
    await expectSameBlobs(join(work, 'out-admin'));
    // Layers came from the Blob Storage stand-in after ACR's 307, without the registry token.
    const downloads = rig.requests.filter((r) => r.path.startsWith('blob:'));
    expect(downloads.length).toBeGreaterThanOrEqual(layout.layerDigests.length);
    expect(downloads.every((r) => r.status === 200 && r.withAuthorization === false)).toBe(true);
    // The default /acr/v1 plugin saw the push.
    const tags = await fetch(`${rig.url}/acr/v1/rig/admin/_tags`, { headers: { authorization: `Basic ${Buffer.from(creds).toString('base64')}` } });
    expect(tags.status).toBe(200);
    expect(((await tags.json()) as { tags: Array<{ name: string }> }).tags.map((t) => t.name)).toEqual(['v1']);
    expect(rig.requests.some((r) => r.method === 'PUT' && r.path === '/v2/rig/admin/manifests/v1' && r.status === 201 && r.identity === 'admin')).toBe(true);
  });

  test('the null GUID with an ACR refresh token from a real Entra credential pushes and pulls', async () => {
    const refresh = await exchangeForRefreshToken(rig.entra.clientId, rig.entra.clientSecret);
    const creds = `${NULL_GUID}:${refresh}`;
    const dest = `docker://${rig.loginServer}/rig/entra:v1`;
    const push = await skopeo(['copy', '--dest-creds', creds, '--dest-cert-dir', rig.certDir, `oci:${layout.dir}:latest`, dest]);
    expect(push.code).toBe(0);
    const pull = await skopeo(['copy', '--src-creds', creds, '--src-cert-dir', rig.certDir, dest, `oci:${join(work, 'out-entra')}:v1`]);
    expect(pull.code).toBe(0);
    await expectSameBlobs(join(work, 'out-entra'));
    expect(rig.requests.some((r) => r.path === '/v2/rig/entra/manifests/v1' && r.identity === `entra:${rig.entra.clientId}`)).toBe(true);
  });

  test('a pull-only identity can pull but not push', async () => {
    const refresh = await exchangeForRefreshToken(rig.entra.pullOnly.clientId, rig.entra.pullOnly.clientSecret);
    const creds = `${NULL_GUID}:${refresh}`;
    const pull = await skopeo(['copy', '--src-creds', creds, '--src-cert-dir', rig.certDir, `docker://${rig.loginServer}/rig/admin:v1`, `oci:${join(work, 'out-pull')}:v1`]);
    expect(pull.code).toBe(0);
    const push = await skopeo(['copy', '--dest-creds', creds, '--dest-cert-dir', rig.certDir, `oci:${layout.dir}:latest`, `docker://${rig.loginServer}/rig/pull-only:v1`]);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/unauthorized|denied|authentication required/i);
  });

  test('a wrong password is refused with 401', async () => {
    const result = await skopeo(['login', '--cert-dir', rig.certDir, '-u', rig.admin.username, '-p', 'wrong-password-123', rig.loginServer]);
    expect(result.code).not.toBe(0);
    expect(rig.requests.some((r) => r.path === '/oauth2/token' && r.status === 401)).toBe(true);
  });

  test('stop ends Distribution and frees the ports', async () => {
    const other = await startRig();
    const { distributionPid, url, distributionUrl } = other;
    await other.stop();
    expect(existsSync(`/proc/${distributionPid}`)).toBe(false);
    await expect(fetch(`${url}/v2/`)).rejects.toThrow();
    await expect(fetch(`${distributionUrl}/v2/`)).rejects.toThrow();
  });
});
