/**
 * The Entra ID and GitHub OIDC stand-ins with the real @azure/identity credentials: client secret,
 * client assertion from the OIDC stand-in (as the Action does in GitHub), and the refusals.
 */
import { ClientAssertionCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeJwt } from './jwt';
import { startRig, type Rig } from './rig';

let rig: Rig;
const options = () => ({ authorityHost: rig.entra.authorityHost, disableInstanceDiscovery: true });

async function githubIdToken(audience: string, requestToken = rig.oidc.requestToken): Promise<Response> {
  return fetch(`${rig.oidc.requestUrl}&audience=${encodeURIComponent(audience)}`, {
    headers: { authorization: `Bearer ${requestToken}` },
  });
}

async function assertion(): Promise<string> {
  const res = await githubIdToken('api://AzureADTokenExchange');
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: string }).value;
}

beforeAll(async () => {
  rig = await startRig({ principals: [{ clientId: 'other-repo-app', federatedSubject: 'repo:someone/else:*', roles: ['AcrPull'] }] });
});
afterAll(async () => {
  await rig?.stop();
});

describe('GitHub OIDC stand-in', () => {
  test('issues an ID token for the audience and counts it', async () => {
    const before = rig.oidc.issued();
    const { claims } = decodeJwt(await assertion());
    expect(claims).toMatchObject({ iss: rig.oidc.issuer, aud: 'api://AzureADTokenExchange', sub: 'repo:acrkit/acrkit:ref:refs/heads/main' });
    expect(rig.oidc.issued()).toBe(before + 1);
  });

  test('refuses a wrong request token', async () => {
    const res = await githubIdToken('api://AzureADTokenExchange', 'not-the-token');
    expect(res.status).toBe(401);
  });
});

describe('Entra ID stand-in', () => {
  test('ClientSecretCredential gets a token with tid, oid, appid and the audience', async () => {
    const credential = new ClientSecretCredential(rig.entra.tenantId, rig.entra.clientId, rig.entra.clientSecret, options());
    const token = await credential.getToken('https://containerregistry.azure.net/.default');
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
    const { claims } = decodeJwt(token.token);
    expect(claims).toMatchObject({ aud: 'https://containerregistry.azure.net', tid: rig.entra.tenantId, appid: rig.entra.clientId });
  });

  test('ClientAssertionCredential with a GitHub ID token signs in the federated principal', async () => {
    const before = rig.oidc.issued();
    const credential = new ClientAssertionCredential(rig.entra.tenantId, rig.entra.federatedClientId, assertion, options());
    const token = await credential.getToken('https://management.azure.com/.default');
    expect(decodeJwt(token.token).claims).toMatchObject({ aud: 'https://management.azure.com', appid: rig.entra.federatedClientId });
    expect(rig.oidc.issued()).toBeGreaterThan(before);
  });

  test('a wrong client secret is refused', async () => {
    const credential = new ClientSecretCredential(rig.entra.tenantId, rig.entra.clientId, 'not-the-secret', options());
    await expect(credential.getToken('https://containerregistry.azure.net/.default')).rejects.toThrow(/AADSTS7000215/);
  });

  test('an unknown tenant is refused', async () => {
    const credential = new ClientSecretCredential('11111111-2222-3333-4444-555555555555', rig.entra.clientId, rig.entra.clientSecret, options());
    await expect(credential.getToken('https://containerregistry.azure.net/.default')).rejects.toThrow(/AADSTS90002|endpoints_resolution_error/);
  });

  test('an assertion whose subject does not match the federated credential is refused', async () => {
    const credential = new ClientAssertionCredential(rig.entra.tenantId, 'other-repo-app', assertion, options());
    await expect(credential.getToken('https://containerregistry.azure.net/.default')).rejects.toThrow(/AADSTS70021/);
  });

  test('an assertion with the wrong audience is refused', async () => {
    const wrongAudience = async () => ((await (await githubIdToken('https://github.com/acrkit')).json()) as { value: string }).value;
    const credential = new ClientAssertionCredential(rig.entra.tenantId, rig.entra.federatedClientId, wrongAudience, options());
    await expect(credential.getToken('https://containerregistry.azure.net/.default')).rejects.toThrow(/AADSTS7000215/);
  });
});

describe('managed identity endpoint', () => {
  test('ManagedIdentityCredential gets a token through IDENTITY_ENDPOINT/IDENTITY_HEADER', async () => {
    const { ManagedIdentityCredential } = await import('@azure/identity');
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    Object.assign(process.env, rig.entra.managedIdentity.env);
    try {
      const token = await new ManagedIdentityCredential().getToken('https://containerregistry.azure.net/.default');
      expect(decodeJwt(token.token).claims).toMatchObject({ aud: 'https://containerregistry.azure.net', appid: rig.entra.managedIdentity.clientId });
      const res = await fetch(`${rig.entra.managedIdentity.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=x`, { headers: { 'x-identity-header': 'wrong' } });
      expect(res.status).toBe(401);
    } finally {
      for (const [k, v] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
