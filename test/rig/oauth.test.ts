/**
 * The front's /oauth2/exchange and /oauth2/token as ACR clients use them (acr-wire.md §1), and the
 * challenges and 401 bodies of /v2. Uses plain fetch so each wire detail is visible in the test.
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectNoSecrets } from '../support/secret-scan';
import { NULL_GUID } from './caller';
import { decodeJwt } from './jwt';
import { startRig, type Rig } from './rig';

let rig: Rig;
let offsetMs = 0;
const seen: string[] = [];

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function aadToken(scope: string, clientId = rig.entra.clientId, secret = rig.entra.clientSecret): Promise<string> {
  const credential = new ClientSecretCredential(rig.entra.tenantId, clientId, secret, { authorityHost: rig.entra.authorityHost, disableInstanceDiscovery: true });
  const token = (await credential.getToken(scope)).token;
  seen.push(token);
  return token;
}

async function exchange(accessToken: string, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${rig.url}/oauth2/exchange?api-version=2021-07-01`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'access_token', service: rig.loginServer, access_token: accessToken, ...extra }),
  });
}

async function refreshToken(): Promise<string> {
  const token = ((await (await exchange(await aadToken('https://containerregistry.azure.net/.default'))).json()) as { refresh_token: string }).refresh_token;
  seen.push(token);
  return token;
}

async function postToken(fields: Array<[string, string]>): Promise<Response> {
  return fetch(`${rig.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

async function accessOf(res: Response): Promise<unknown> {
  expect(res.status).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };
  seen.push(access_token);
  return decodeJwt(access_token).claims.access;
}

beforeAll(async () => {
  rig = await startRig({
    now: () => Date.now() + offsetMs,
    repositoryTokens: [{ name: 'ci-token', password: 'repo-token-password-1', repositories: { 'team/app': ['pull', 'push'] } }],
  });
});
afterAll(async () => {
  await rig?.stop();
});

describe('/oauth2/exchange', () => {
  test('turns an ACR-audience Entra token into a JWT refresh token with exp, aud and grant_type', async () => {
    const res = await exchange(await aadToken('https://containerregistry.azure.net/.default'), { tenant: rig.entra.tenantId });
    expect(res.status).toBe(200);
    const { refresh_token } = (await res.json()) as { refresh_token: string };
    seen.push(refresh_token);
    const { claims } = decodeJwt(refresh_token);
    expect(claims).toMatchObject({ aud: rig.loginServer, grant_type: 'refresh_token', iss: 'Azure Container Registry' });
    expect((claims.exp as number) - (claims.iat as number)).toBe(10_800);
  });

  test('accepts an ARM-audience token and refuses other audiences', async () => {
    expect((await exchange(await aadToken('https://management.azure.com/.default'))).status).toBe(200);
    const res = await exchange(await aadToken('https://vault.azure.net/.default'));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }] });
  });

  test('refuses garbage and a wrong service', async () => {
    expect((await exchange('not-a-jwt')).status).toBe(401);
    const token = await aadToken('https://containerregistry.azure.net/.default');
    expect((await exchange(token, { service: 'other.azurecr.io' })).status).toBe(400);
  });
});

describe('/oauth2/token', () => {
  test('POST refresh_token grants requested ∩ allowed, for repeated scopes and both metadata spellings', async () => {
    const refresh = await refreshToken();
    const res = await postToken([
      ['service', rig.loginServer],
      ['scope', 'repository:a/b:pull,push,metadataRead'],
      ['scope', 'registry:catalog:*'],
      ['refresh_token', refresh],
      ['grant_type', 'refresh_token'],
    ]);
    expect(await accessOf(res)).toEqual([
      { type: 'repository', name: 'a/b', actions: ['pull', 'push', 'metadata_read'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
  });

  test('a pull-only principal gets only pull from a pull,push,delete request', async () => {
    const aad = await aadToken('https://containerregistry.azure.net/.default', rig.entra.pullOnly.clientId, rig.entra.pullOnly.clientSecret);
    const { refresh_token } = (await (await exchange(aad)).json()) as { refresh_token: string };
    const res = await postToken([['grant_type', 'refresh_token'], ['service', rig.loginServer], ['scope', 'repository:x:pull,push,delete'], ['refresh_token', refresh_token]]);
    expect(await accessOf(res)).toEqual([{ type: 'repository', name: 'x', actions: ['pull'] }]);
  });

  test('GET with Basic for the admin user, ignoring account/client_id/offline_token', async () => {
    const query = new URLSearchParams([['service', rig.loginServer], ['scope', 'repository:x:pull'], ['scope', 'repository:y:delete'], ['account', 'a'], ['client_id', 'docker'], ['offline_token', 'true']]);
    const res = await fetch(`${rig.url}/oauth2/token?${query}`, { headers: { authorization: basic(rig.admin.username, rig.admin.password) } });
    expect(await accessOf(res)).toEqual([
      { type: 'repository', name: 'x', actions: ['pull'] },
      { type: 'repository', name: 'y', actions: ['delete'] },
    ]);
  });

  test('a repository-scoped token gets its repositories only', async () => {
    const query = `service=${rig.loginServer}&scope=repository:team/app:pull,push,delete&scope=repository:other:pull`;
    const res = await fetch(`${rig.url}/oauth2/token?${query}`, { headers: { authorization: basic('ci-token', 'repo-token-password-1') } });
    expect(await accessOf(res)).toEqual([{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
    rig.addRepositoryToken({ name: 'late', password: 'late-token-password', repositories: { other: ['pull'] } });
    const late = await fetch(`${rig.url}/oauth2/token?${query}`, { headers: { authorization: basic('late', 'late-token-password') } });
    expect(await accessOf(late)).toEqual([{ type: 'repository', name: 'other', actions: ['pull'] }]);
  });

  test('the null GUID with an ACR refresh token as password, and POST password grant', async () => {
    const refresh = await refreshToken();
    const res = await fetch(`${rig.url}/oauth2/token?service=${rig.loginServer}&scope=repository:z:push`, { headers: { authorization: basic(NULL_GUID, refresh) } });
    expect(await accessOf(res)).toEqual([{ type: 'repository', name: 'z', actions: ['push'] }]);
    const post = await postToken([['grant_type', 'password'], ['service', rig.loginServer], ['scope', 'repository:z:pull'], ['username', rig.admin.username], ['password', rig.admin.password]]);
    expect(await accessOf(post)).toEqual([{ type: 'repository', name: 'z', actions: ['pull'] }]);
  });

  test('the null GUID with an ACR access token as password gets no more than that token carries', async () => {
    const query = `service=${rig.loginServer}&scope=repository:one:pull`;
    const res = await fetch(`${rig.url}/oauth2/token?${query}`, { headers: { authorization: basic(rig.admin.username, rig.admin.password) } });
    const { access_token } = (await res.json()) as { access_token: string };
    seen.push(access_token);
    const again = await fetch(`${rig.url}/oauth2/token?${query}&scope=repository:one:push&scope=repository:two:pull`, { headers: { authorization: basic(NULL_GUID, access_token) } });
    expect(await accessOf(again)).toEqual([{ type: 'repository', name: 'one', actions: ['pull'] }]);
  });

  test.each([
    ['wrong admin password', () => ({ authorization: basic(rig.admin.username, 'wrong-password') })],
    ['unknown user', () => ({ authorization: basic('nobody-here', 'whatever-pass') })],
    ['null GUID with garbage', () => ({ authorization: basic(NULL_GUID, 'garbage-token') })],
    ['no credentials while anonymous pull is off', () => ({})],
  ])('%s → 401 in ACR shape', async (_name, headers) => {
    const res = await fetch(`${rig.url}/oauth2/token?service=${rig.loginServer}&scope=repository:x:pull`, { headers: headers() });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ code: 'UNAUTHORIZED', message: expect.stringContaining('aka.ms/acr/authorization') }] });
  });

  test('a refresh token stops working after its lifetime', async () => {
    const refresh = await refreshToken();
    const fields: Array<[string, string]> = [['grant_type', 'refresh_token'], ['service', rig.loginServer], ['scope', 'repository:x:pull'], ['refresh_token', refresh]];
    expect((await postToken(fields)).status).toBe(200);
    offsetMs = 3 * 3600_000 + 60_000;
    try {
      expect((await postToken(fields)).status).toBe(401);
    } finally {
      offsetMs = 0;
    }
  });
});

describe('/v2 through the front', () => {
  test('challenges carry realm, service and scope, and 401 bodies use ACR wording', async () => {
    const res = await fetch(`${rig.url}/v2/some/repo/tags/list`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="${rig.url}/oauth2/token",service="${rig.loginServer}",scope="repository:some/repo:pull"`);
    expect(await res.json()).toEqual({
      errors: [{ code: 'UNAUTHORIZED', message: 'authentication required, visit https://aka.ms/acr/authorization for more information.', detail: [{ Type: 'repository', Name: 'some/repo', Action: 'pull' }] }],
    });
  });

  test('a token without the action gets insufficient_scope', async () => {
    const query = `service=${rig.loginServer}&scope=repository:some/repo:pull`;
    const token = ((await (await fetch(`${rig.url}/oauth2/token?${query}`, { headers: { authorization: basic(rig.admin.username, rig.admin.password) } })).json()) as { access_token: string }).access_token;
    const res = await fetch(`${rig.url}/v2/some/repo/blobs/uploads/`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  test('Basic directly on /v2 works for the admin user (ACR accepts it)', async () => {
    const res = await fetch(`${rig.url}/v2/_catalog`, { headers: { authorization: basic(rig.admin.username, rig.admin.password) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('repositories');
  });

  test('the request log records callers and holds no secret', () => {
    expect(rig.requests.length).toBeGreaterThan(10);
    expect(rig.requests.some((r) => r.identity === 'admin' && r.path === '/v2/_catalog' && r.status === 200)).toBe(true);
    expectNoSecrets(rig.requests.map((r) => JSON.stringify(r)), [...rig.secrets(), ...seen]);
    rig.resetRequests();
    expect(rig.requests).toHaveLength(0);
  });
});

describe('anonymous pull', () => {
  test('when enabled: empty refresh_token password grant and anonymous GET give pull and catalog, never push', async () => {
    const anon = await startRig({ anonymousPull: true });
    try {
      const res = await fetch(`${anon.url}/oauth2/token?api-version=2021-07-01`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `service=${anon.loginServer}&scope=registry%3Acatalog%3A*&scope=repository%3Ax%3Apull%2Cpush&refresh_token=&grant_type=password`,
      });
      expect(await accessOf(res)).toEqual([
        { type: 'registry', name: 'catalog', actions: ['*'] },
        { type: 'repository', name: 'x', actions: ['pull'] },
      ]);
      const get = await fetch(`${anon.url}/oauth2/token?service=${anon.loginServer}&scope=repository:x:push`);
      expect(await accessOf(get)).toEqual([]);
    } finally {
      await anon.stop();
    }
  });
});

describe('rig.secrets()', () => {
  test('lists every token handed to clients, and no internal one', async () => {
    const refresh = await refreshToken();
    const aad = await aadToken('https://management.azure.com/.default');
    const res = await fetch(`${rig.url}/oauth2/token?service=${rig.loginServer}&scope=repository:s:pull`, { headers: { authorization: basic(rig.admin.username, rig.admin.password) } });
    const { access_token } = (await res.json()) as { access_token: string };
    const secrets = rig.secrets();
    for (const token of [refresh, aad, access_token]) expect(secrets).toContain(token);
    const before = secrets.length;
    await rig.distributionFetch('/v2/_catalog');
    await fetch(`${rig.url}/v2/_catalog`, { headers: { authorization: basic(rig.admin.username, rig.admin.password) } });
    expect(rig.secrets()).toHaveLength(before);
  });
});
