/**
 * The auth transport against the real thing: Docker Distribution behind the ACR stand-in (token
 * endpoint, /oauth2/exchange, blob redirects to a storage stand-in). Every token flow the core uses:
 * admin Basic GET, ACR refresh token POST, the null-GUID user with a refresh token as password,
 * anonymous pull, and the failures (wrong password, pull-only identity pushing).
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../../../../test/rig/rig';
import { expectNoSecrets } from '../../../../test/support/secret-scan';
import { exchangeAadToken } from '../../src/acr/exchange';
import { ACR_TOKEN_USERNAME, staticCredential, type Credential } from '../../src/auth/credential';
import { createRegistryTransport } from '../../src/auth/registry-transport';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { expectStatus, RegistryError } from '../../src/http/registry-error';
import type { Transport } from '../../src/http/transport';
import type { Logger } from '../../src/log';
import { computeDigest } from '../../src/oci/digest';
import { MediaType } from '../../src/oci/media-types';

/** One rig with anonymous pull on (an ACR Standard/Premium option): it serves every flow below. */
let rig: Rig;
const captured: string[] = [];
const logger: Logger = {
  debug: (m) => void captured.push(m),
  info: (m) => void captured.push(m),
  warn: (m) => void captured.push(m),
  error: (m) => void captured.push(m),
  group: (_n, f) => f(),
};
const extraSecrets: string[] = [];

beforeAll(async () => {
  rig = await startRig({ anonymousPull: true });
}, 120_000);

afterAll(async () => {
  if (rig) expectNoSecrets(captured, [...rig.secrets(), ...extraSecrets]);
  await rig?.stop();
});

const transportFor = (credential: Credential | undefined) =>
  createRegistryTransport({ credentials: staticCredential(credential), logger, retry: { minDelayMs: 5, maxDelayMs: 20 } });

/** An ACR refresh token for an Entra service principal of the rig (by default the Owner). */
async function acrRefreshToken(principal: { clientId: string; clientSecret: string } = rig.entra): Promise<string> {
  const entra = new ClientSecretCredential(rig.entra.tenantId, principal.clientId, principal.clientSecret, {
    authorityHost: rig.entra.authorityHost,
    disableInstanceDiscovery: true,
  });
  const aad = await entra.getToken('https://containerregistry.azure.net/.default');
  const { token } = await exchangeAadToken(createUndiciTransport(), { loginServer: rig.loginServer, aadToken: aad.token });
  extraSecrets.push(aad.token, token);
  return token;
}

/** Pushes a one-layer image as `repo:tag` through `transport`, stating the scopes up front. */
async function pushImage(transport: Transport, registry: string, repo: string, tag: string): Promise<string> {
  const base = `https://${registry}/v2/${repo}`;
  const scopes = [`repository:${repo}:pull,push`];
  const blobs = [new TextEncoder().encode('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'), new Uint8Array(1000).fill(7)];
  for (const blob of blobs) {
    const digest = computeDigest(blob);
    const start = await transport({ method: 'POST', url: `${base}/blobs/uploads/`, scopes });
    await expectStatus(start, { method: 'POST', url: `${base}/blobs/uploads/` }, 202);
    const location = new URL(start.headers.get('location') ?? '', `https://${registry}`);
    location.searchParams.set('digest', digest);
    const put = await transport({ method: 'PUT', url: location.toString(), body: blob, headers: { 'content-type': 'application/octet-stream' }, scopes });
    await expectStatus(put, { method: 'PUT', url: location.toString() }, 201);
  }
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: computeDigest(blobs[0]!), size: blobs[0]!.byteLength },
    layers: [{ mediaType: MediaType.OciLayer, digest: computeDigest(blobs[1]!), size: 1000 }],
  });
  const url = `${base}/manifests/${tag}`;
  const put = await transport({ method: 'PUT', url, body: manifest, headers: { 'content-type': MediaType.OciManifest }, scopes });
  await expectStatus(put, { method: 'PUT', url }, 201);
  return computeDigest(blobs[1]!);
}

describe('registry transport against the rig', () => {
  it('admin user: pushes, pulls a blob through the storage redirect without leaking the token, one token per scope', async () => {
    const transport = transportFor(rig.admin);
    const layer = await pushImage(transport, rig.loginServer, 'auth/admin', 'v1');
    rig.resetRequests();
    const url = `${rig.url}/v2/auth/admin/blobs/${layer}`;
    const response = await transport({ method: 'GET', url, scopes: ['repository:auth/admin:pull'] });
    await expectStatus(response, { method: 'GET', url }, 200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(1000).fill(7));
    const blobReads = rig.requests.filter((r) => r.path.startsWith('blob:'));
    expect(blobReads.length).toBe(1);
    expect(blobReads.every((r) => r.withAuthorization === false)).toBe(true);
    // Pre-authorized: the blob GET costs one token request and no 401.
    expect(rig.requests.filter((r) => r.status === 401)).toHaveLength(0);
    expect(rig.requests.filter((r) => r.path === '/oauth2/token')).toHaveLength(1);
  });

  it('ACR refresh token (POST /oauth2/token) and the null-GUID user with the refresh token as password (GET with Basic)', async () => {
    const refreshToken = await acrRefreshToken();
    await pushImage(transportFor({ refreshToken }), rig.loginServer, 'auth/entra', 'v1');
    rig.resetRequests();
    const url = `${rig.url}/v2/auth/entra/manifests/v1`;
    const viaBasic = await transportFor({ username: ACR_TOKEN_USERNAME, password: refreshToken })({
      method: 'GET',
      url,
      headers: { accept: MediaType.OciManifest },
    });
    await expectStatus(viaBasic, { method: 'GET', url }, 200);
    expect(rig.requests.filter((r) => r.path === '/oauth2/token').map((r) => r.method)).toEqual(['GET']);
  });

  it('anonymous pull where the registry allows it', async () => {
    await pushImage(transportFor(rig.admin), rig.loginServer, 'auth/public', 'v1');
    const url = `${rig.url}/v2/auth/public/manifests/v1`;
    const response = await transportFor(undefined)({ method: 'GET', url, headers: { accept: MediaType.OciManifest } });
    await expectStatus(response, { method: 'GET', url }, 200);
    const push = await transportFor(undefined)({ method: 'POST', url: `${rig.url}/v2/auth/public/blobs/uploads/` }).catch((e: unknown) => e);
    captured.push(String(push));
    expect(push instanceof Response ? push.status : (push as RegistryError).status).toBe(401);
  });

  it('a wrong password fails with a clear, secret-free error naming the user', async () => {
    const wrong = { username: rig.admin.username, password: 'definitely-WRONG-password' };
    extraSecrets.push(wrong.password);
    const err = await transportFor(wrong)({ method: 'GET', url: `${rig.url}/v2/auth/admin/tags/list` }).catch((e: unknown) => e);
    captured.push(String(err), JSON.stringify(err));
    expect(RegistryError.is(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain(`fetching a token for ${rig.loginServer} (repository:auth/admin:pull) as user "${rig.admin.username}"`);
    expect(message).toContain('401');
  });

  it('a pull-only identity cannot push: the refusal names it', async () => {
    const token = await acrRefreshToken(rig.entra.pullOnly);
    const transport = transportFor({ refreshToken: token });
    const err = await transport({ method: 'POST', url: `${rig.url}/v2/auth/admin/blobs/uploads/`, scopes: ['repository:auth/admin:pull,push'] }).catch(
      (e: unknown) => e,
    );
    captured.push(String(err));
    expect(RegistryError.is(err, 'UNAUTHORIZED') || RegistryError.is(err, 'DENIED')).toBe(true);
    expect((err as Error).message).toContain('(insufficient scope: a refresh token was not granted repository:auth/admin:pull,push)');
  });
});
