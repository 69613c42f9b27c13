import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../src/auth/auth-error';
import { withAuth } from '../../src/auth/auth-transport';
import { staticCredential, type Credential } from '../../src/auth/credential';
import { TokenCache } from '../../src/auth/token-cache';
import { isInternalAddress } from '../../src/auth/token-request';
import { createUndiciTransport } from '../../src/http/undici-transport';
import { withLogging } from '../../src/http/logging';
import { RegistryError } from '../../src/http/registry-error';
import type { Transport } from '../../src/http/transport';
import type { Logger } from '../../src/log';
import { expectNoSecrets } from '../../../../test/support/secret-scan';
import { ADMIN, REFRESH_TOKEN, startTokenRegistry, type TokenRegistry, type TokenRegistryOptions } from './token-registry';

let registry: TokenRegistry | undefined;
const captured: string[] = [];
const logger: Logger = {
  debug: (m) => captured.push(m),
  info: (m) => captured.push(m),
  warn: (m) => captured.push(m),
  error: (m) => captured.push(m),
  group: (_n, f) => f(),
};

afterEach(async () => {
  // Every line logged and every error captured must be free of the secrets used, in any encoding.
  expectNoSecrets(captured, [ADMIN, REFRESH_TOKEN, 'AT-SECRET-ready', 'wrong-SECRET-pw', 'rt-SECRET-wrong', ...(registry?.minted ?? [])]);
  expect(captured.join('\n')).not.toContain('SECRET');
  captured.length = 0;
  await registry?.close();
  registry = undefined;
});

async function setup(credential: Credential | undefined, options: TokenRegistryOptions = {}, extra: { cache?: TokenCache } = {}) {
  registry = await startTokenRegistry(options);
  const transport = withAuth(withLogging(createUndiciTransport(), logger), { credentials: staticCredential(credential), logger, ...extra });
  return { registry, transport, url: (path: string) => `${registry!.url}${path}` };
}

async function capture<T>(promise: Promise<T>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    captured.push(String(err), (err as Error).stack ?? '', JSON.stringify(err));
    return err;
  }
  throw new Error('expected a failure');
}

describe('withAuth: Bearer flows', () => {
  it('username/password: 401 -> GET realm?service&scope with Basic -> replay; the next request is authorized at once', async () => {
    const { registry, transport, url } = await setup(ADMIN);
    const first = await transport({ method: 'GET', url: url('/v2/app/manifests/v1') });
    expect(first.status).toBe(200);
    const tokenRequest = registry.requests.find((r) => r.url.startsWith('/token'));
    expect(tokenRequest?.method).toBe('GET');
    const query = new URL(tokenRequest!.url, 'http://x').searchParams;
    expect(query.get('service')).toBe(registry.host);
    expect(query.getAll('scope')).toEqual(['repository:app:pull']);
    expect(tokenRequest?.headers.authorization).toMatch(/^Basic /);
    expect(registry.registryRequests()).toBe(2);

    const second = await transport({ method: 'GET', url: url('/v2/app/manifests/v2'), scopes: ['repository:app:pull'] });
    expect(second.status).toBe(200);
    expect(registry.registryRequests()).toBe(3);
    expect(registry.tokenRequests()).toBe(1);
  });

  it('a cached token needs no credential lookup', async () => {
    registry = await startTokenRegistry();
    let lookups = 0;
    const transport = withAuth(createUndiciTransport(), {
      credentials: async () => {
        lookups++;
        return ADMIN;
      },
    });
    for (let i = 0; i < 3; i++) {
      expect((await transport({ method: 'GET', url: `${registry.url}/v2/app/manifests/v${i}`, scopes: ['repository:app:pull'] })).status).toBe(200);
    }
    expect(lookups).toBe(1);
    expect(registry.tokenRequests()).toBe(1);
  });

  it('accepts the Docker "token" field', async () => {
    const { transport, url } = await setup(ADMIN, { dockerField: true });
    expect((await transport({ method: 'GET', url: url('/v2/app/tags/list') })).status).toBe(200);
  });

  it('refresh token: POST realm with grant_type, service, repeated scope and refresh_token', async () => {
    const { registry, transport, url } = await setup({ refreshToken: REFRESH_TOKEN });
    const response = await transport({ method: 'PUT', url: url('/v2/app/manifests/v1'), body: '{}', scopes: ['repository:app:pull', 'repository:base:pull'] });
    expect(response.status).toBe(200);
    const tokenRequest = registry.requests.find((r) => r.url.startsWith('/token'))!;
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(tokenRequest.headers.authorization).toBeUndefined();
    const form = new URLSearchParams(tokenRequest.body);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('service')).toBe(registry.host);
    expect(form.get('refresh_token')).toBe(REFRESH_TOKEN);
    expect(form.getAll('scope')).toEqual(['repository:app:pull,push', 'repository:base:pull']);
    // The PUT body was replayed intact.
    expect(registry.requests.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual(['{}', '{}']);
  });

  it('anonymous: GET realm without Authorization', async () => {
    const { registry, transport, url } = await setup(undefined, { anonymous: true });
    expect((await transport({ method: 'GET', url: url('/v2/lib/app/manifests/v1') })).status).toBe(200);
    const tokenRequest = registry.requests.find((r) => r.url.startsWith('/token'))!;
    expect(tokenRequest.headers.authorization).toBeUndefined();
    expect(new URL(tokenRequest.url, 'http://x').searchParams.getAll('scope')).toEqual(['repository:lib/app:pull']);
  });

  it('a token granted less than asked ends in an insufficient-scope error naming identity and scopes', async () => {
    const { registry, transport, url } = await setup(undefined, { anonymous: true });
    const err = await capture(transport({ method: 'PUT', url: url('/v2/app/manifests/v1'), body: '{}', scopes: ['repository:app:pull'] }));
    expect(RegistryError.is(err, 'UNAUTHORIZED')).toBe(true);
    expect((err as Error).message).toContain('(insufficient scope: anonymous was not granted repository:app:pull,push)');
    expect(registry.tokenRequests()).toBe(1);
  });

  it('an access token is used as is, without a token request', async () => {
    registry = await startTokenRegistry();
    registry.issued.set('AT-SECRET-ready', ['repository:app:pull']);
    const transport = withAuth(createUndiciTransport(), { credentials: staticCredential({ accessToken: 'AT-SECRET-ready' }), logger });
    expect((await transport({ method: 'GET', url: `${registry.url}/v2/app/manifests/v1` })).status).toBe(200);
    expect(registry.tokenRequests()).toBe(0);
  });

  it('insufficient_scope: fetches a token for the merged scopes', async () => {
    const { registry, transport, url } = await setup(ADMIN);
    await transport({ method: 'GET', url: url('/v2/app/manifests/v1'), scopes: ['repository:app:pull'] });
    const push = await transport({ method: 'PUT', url: url('/v2/app/manifests/v1'), body: '{}', scopes: ['repository:app:pull'] });
    expect(push.status).toBe(200);
    const scopes = registry.requests.filter((r) => r.url.startsWith('/token')).map((r) => new URL(r.url, 'http://x').searchParams.getAll('scope'));
    expect(scopes).toEqual([['repository:app:pull'], ['repository:app:pull,push']]);
  });

  it('concurrent requests for one scope share one token fetch', async () => {
    const { registry, transport, url } = await setup(ADMIN);
    await transport({ method: 'GET', url: url('/v2/') });
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => transport({ method: 'GET', url: url(`/v2/app/manifests/t${i}`), scopes: ['repository:app:pull'] })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    // One token for /v2/ (no scopes), one shared by the eight.
    expect(registry.tokenRequests()).toBe(2);
  });

  it('a token refused early is invalidated, fetched once more, and the request replayed once', async () => {
    const { registry, transport, url } = await setup(ADMIN);
    await transport({ method: 'GET', url: url('/v2/app/manifests/v1'), scopes: ['repository:app:pull'] });
    registry.revokeAll();
    const response = await transport({ method: 'GET', url: url('/v2/app/manifests/v1'), scopes: ['repository:app:pull'] });
    expect(response.status).toBe(200);
    expect(registry.tokenRequests()).toBe(2);
  });

  it('a registry that refuses every token fails after one more fetch, naming the identity but not the password', async () => {
    const { registry, transport, url } = await setup(ADMIN, { refuseAllTokens: true });
    const err = await capture(transport({ method: 'GET', url: url('/v2/app/manifests/v1?sig=SAS-SECRET') }));
    expect(RegistryError.is(err, 'UNAUTHORIZED')).toBe(true);
    const e = err as RegistryError;
    expect(e.status).toBe(401);
    expect(e.message).toBe(`GET ${registry.url}/v2/app/manifests/v1: 401 UNAUTHORIZED: authentication required (the registry refused user "admin")`);
    expect(e.message).not.toContain(ADMIN.password);
    expect(registry.tokenRequests()).toBe(1);
    expect(registry.registryRequests()).toBe(2);

    // A fresh token refused at once is final too: no second fetch.
    const err2 = await capture(transport({ method: 'GET', url: url('/v2/app/manifests/v1'), scopes: ['repository:app:pull'] }));
    expect(RegistryError.is(err2)).toBe(true);
    expect(registry.tokenRequests()).toBe(2);
    expect(registry.registryRequests()).toBe(3);
  });

  it('a cached token refused, then its fresh replacement refused: one more fetch, one replay, then the error', async () => {
    const { registry, transport, url } = await setup(ADMIN);
    await transport({ method: 'GET', url: url('/v2/app/manifests/v1'), scopes: ['repository:app:pull'] });
    registry.options.refuseAllTokens = true;
    const before = registry.registryRequests();
    const err = await capture(transport({ method: 'GET', url: url('/v2/app/manifests/v1'), scopes: ['repository:app:pull'] }));
    expect(RegistryError.is(err, 'UNAUTHORIZED')).toBe(true);
    expect(registry.tokenRequests()).toBe(2);
    expect(registry.registryRequests() - before).toBe(2);
  });

  it('wrong password: the token endpoint error is clear, redacted and secret-free', async () => {
    const { transport, url, registry } = await setup({ username: 'admin', password: 'wrong-SECRET-pw' });
    const err = await capture(transport({ method: 'GET', url: url('/v2/app/manifests/v1') }));
    expect(RegistryError.is(err, 'UNAUTHORIZED')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain(`fetching a token for ${registry.host} (repository:app:pull) as user "admin": GET ${registry.url}/token?service=`);
    expect(message).toContain('401 UNAUTHORIZED: invalid credentials');
    expect(message).not.toContain('wrong-SECRET-pw');
    expect(JSON.stringify(err)).not.toContain('wrong-SECRET-pw');
  });

  it('a wrong refresh token is reported without it', async () => {
    const { transport, url } = await setup({ refreshToken: 'rt-SECRET-wrong' });
    const err = await capture(transport({ method: 'GET', url: url('/v2/app/manifests/v1') }));
    expect((err as Error).message).toContain('as a refresh token: POST');
    expect((err as Error).message).not.toContain('rt-SECRET-wrong');
  });

  it('a token endpoint that answers no token gives an AuthError', async () => {
    const { transport, url } = await setup(ADMIN, {
      tokenHook: (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
        return true;
      },
    });
    const err = await capture(transport({ method: 'GET', url: url('/v2/app/manifests/v1') }));
    expect(AuthError.is(err, 'INVALID_TOKEN_RESPONSE')).toBe(true);
  });

  it('expiry: a token with expires_in is refetched once it is about to expire', async () => {
    let now = Date.now();
    const cache = new TokenCache({ now: () => now });
    registry = await startTokenRegistry({ expiresIn: 300 });
    const transport = withAuth(createUndiciTransport(), { credentials: staticCredential(ADMIN), cache, now: () => now });
    const get = () => transport({ method: 'GET', url: `${registry!.url}/v2/app/manifests/v1`, scopes: ['repository:app:pull'] });
    await get();
    now += 200_000;
    await get();
    expect(registry.tokenRequests()).toBe(1);
    now += 50_000; // 250 s of 300: inside the 60 s margin
    await get();
    expect(registry.tokenRequests()).toBe(2);
  });

  it('an abort while waiting for the token ends the request', async () => {
    const { transport, url } = await setup(ADMIN, { tokenHook: () => true /* never answers */ });
    const started = Date.now();
    await expect(transport({ method: 'GET', url: url('/v2/app/manifests/v1'), signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('isInternalAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.0.0.1', true], ['172.16.0.1', true], ['172.32.0.1', false], ['192.168.1.1', true], ['169.254.169.254', true],
    ['::1', true], ['[::1]', true], ['fd00::1', true], ['fe80::1', true], ['localhost', true],
    ['8.8.8.8', false], ['2001:db8::1', false], ['myreg.azurecr.io', false],
  ])('%s -> %s', (host, expected) => expect(isInternalAddress(host)).toBe(expected));
});

describe('withAuth: Basic and odd answers', () => {
  it('answers a Basic challenge with Basic credentials and keeps sending them', async () => {
    const { registry, transport, url } = await setup(ADMIN, { basic: true });
    expect((await transport({ method: 'GET', url: url('/v2/_catalog') })).status).toBe(200);
    expect((await transport({ method: 'GET', url: url('/v2/_catalog') })).status).toBe(200);
    expect(registry.registryRequests()).toBe(3);
    expect(registry.tokenRequests()).toBe(0);
  });

  it('a Basic challenge without a password returns the 401 as is', async () => {
    const { transport, url } = await setup({ refreshToken: REFRESH_TOKEN }, { basic: true });
    expect((await transport({ method: 'GET', url: url('/v2/_catalog') })).status).toBe(401);
  });

  it('a 401 without a challenge and a 403 are returned to the caller', async () => {
    let status = 401;
    const base: Transport = async () => new Response('{}', { status });
    const transport = withAuth(base, { credentials: staticCredential(ADMIN) });
    expect((await transport({ method: 'GET', url: 'https://r.io/v2/' })).status).toBe(401);
    status = 403;
    expect((await transport({ method: 'GET', url: 'https://r.io/v2/' })).status).toBe(403);
  });

  it('refuses to send a password to a plain-http realm that is not loopback', async () => {
    const base: Transport = async () =>
      new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer realm="http://evil.example/token",service="r.io"' } });
    const err = await capture(withAuth(base, { credentials: staticCredential(ADMIN) })({ method: 'GET', url: 'https://r.io/v2/' }));
    expect(AuthError.is(err, 'INSECURE_REALM')).toBe(true);
  });

  it('refuses a realm that is not an http(s) URL, or an internal address named by a public registry', async () => {
    for (const realm of ['not a url', 'file:///etc/passwd', 'https://169.254.169.254/metadata', 'https://10.1.2.3/token', 'https://[::1]/t']) {
      const base: Transport = async () => new Response('', { status: 401, headers: { 'www-authenticate': `Bearer realm="${realm}"` } });
      const err = await capture(withAuth(base, { credentials: staticCredential(undefined) })({ method: 'GET', url: 'https://r.io/v2/' }));
      expect(AuthError.is(err, 'INVALID_REALM')).toBe(true);
    }
  });

  it('never answers a challenge from a host the request was redirected to', async () => {
    const base: Transport = async () => {
      const response = new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://storage.example/t"' } });
      Object.defineProperty(response, 'url', { value: 'https://storage.example/blob' });
      return response;
    };
    let asked = 0;
    const transport = withAuth(base, {
      credentials: async () => {
        asked++;
        return ADMIN;
      },
    });
    expect((await transport({ method: 'GET', url: 'https://r.io/v2/app/blobs/sha256:x' })).status).toBe(401);
    expect(asked).toBe(0);
  });
});
