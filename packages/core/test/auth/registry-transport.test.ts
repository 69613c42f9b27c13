import { afterEach, describe, expect, it } from 'vitest';
import { staticCredential } from '../../src/auth/credential';
import { createRegistryTransport } from '../../src/auth/registry-transport';
import { DEFAULT_USER_AGENT } from '../../src/http/user-agent';
import type { Logger } from '../../src/log';
import { sendJson, startServer, type TestServer } from '../http/test-server';
import { ADMIN, REFRESH_TOKEN, startTokenRegistry, type TokenRegistry } from './token-registry';

const servers: Array<TestServer | TokenRegistry> = [];
const lines: string[] = [];
const logger: Logger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m), group: (_n, f) => f() };

afterEach(async () => {
  const all = lines.join('\n');
  for (const secret of [ADMIN.password, REFRESH_TOKEN, 'SECRET-sig', 'SAS-SECRET']) expect(all).not.toContain(secret);
  lines.length = 0;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const fast = { minDelayMs: 5, maxDelayMs: 20 };

describe('createRegistryTransport', () => {
  it('retries a failing token endpoint, sends the user agent everywhere, and logs each exchange without secrets', async () => {
    let failures = 1;
    const registry = await startTokenRegistry({
      tokenHook: (_req, res) => {
        if (failures-- <= 0) return false;
        sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE', message: 'try later' }] });
        return true;
      },
    });
    servers.push(registry);
    const transport = createRegistryTransport({ credentials: staticCredential(ADMIN), userAgent: 'acrkit-test/1.0', logger, retry: fast });
    const response = await transport({ method: 'GET', url: `${registry.url}/v2/app/manifests/v1` });
    expect(response.status).toBe(200);
    expect(registry.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /v2/app/manifests/v1',
      'GET /token',
      'GET /token',
      'GET /v2/app/manifests/v1',
    ]);
    for (const r of registry.requests) expect(r.headers['user-agent']).toBe(`acrkit-test/1.0 ${DEFAULT_USER_AGENT}`);
    expect(lines.filter((l) => /^GET .* -> \d{3} \(\d+ ms\)$/.test(l))).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('retrying GET') && l.includes('after 503'))).toBe(true);
  });

  it('keeps the token across a 429 retry, honouring Retry-After', async () => {
    let throttled = false;
    const registry = await startTokenRegistry({
      registryHook: (_req, res) => {
        if (throttled) return false;
        throttled = true;
        sendJson(res, 429, { errors: [{ code: 'TOO_MANY_REQUESTS', message: 'slow down' }] }, { 'retry-after': '1' });
        return true;
      },
    });
    servers.push(registry);
    const transport = createRegistryTransport({ credentials: staticCredential({ refreshToken: REFRESH_TOKEN }), logger, retry: fast });
    const started = Date.now();
    const response = await transport({ method: 'GET', url: `${registry.url}/v2/app/manifests/v1` });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(registry.tokenRequests()).toBe(1);
    const v2 = registry.requests.filter((r) => r.url.startsWith('/v2'));
    expect(v2.map((r) => r.headers.authorization?.slice(0, 7))).toEqual([undefined, 'Bearer ', 'Bearer ']);
  });

  it('follows a blob 307 to storage without Authorization, and logs the SAS URL redacted', async () => {
    const storage = await startServer((req, res) => sendJson(res, 200, { authorization: req.headers.authorization ?? null }));
    servers.push(storage);
    const registry = await startTokenRegistry({
      registryHook: (req, res) => {
        if (!req.url?.includes('/blobs/')) return false;
        res.writeHead(307, { location: `${storage.url}/container/blob?sv=1&sig=SAS-SECRET`, 'docker-content-digest': 'sha256:x' });
        res.end();
        return true;
      },
    });
    servers.push(registry);
    const transport = createRegistryTransport({ credentials: staticCredential(ADMIN), logger, retry: fast });
    const response = await transport({ method: 'GET', url: `${registry.url}/v2/app/blobs/sha256:${'a'.repeat(64)}`, scopes: ['repository:app:pull'] });
    expect(await response.json()).toEqual({ authorization: null });
    expect(storage.requests[0]?.url).toContain('sig=SAS-SECRET');
    expect(registry.requests.at(-1)?.headers.authorization).toMatch(/^Bearer /);
  });

  it('a 404 passes through for the caller to judge; a 500 storm is retried within bounds', async () => {
    let calls = 0;
    const server = await startServer((req, res) => {
      calls++;
      if (req.url === '/v2/missing') sendJson(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
      else sendJson(res, 500, {});
    });
    servers.push(server);
    const transport = createRegistryTransport({ credentials: staticCredential(undefined), logger, retry: { ...fast, maxRetries: 2 } });
    expect((await transport({ method: 'GET', url: `${server.url}/v2/missing` })).status).toBe(404);
    expect(calls).toBe(1);
    expect((await transport({ method: 'GET', url: `${server.url}/v2/broken` })).status).toBe(500);
    expect(calls).toBe(4);
  });
});
