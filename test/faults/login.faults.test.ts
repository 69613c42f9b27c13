/**
 * Login under faults, through the fault proxy in front of the rig (token requests pass through it too:
 * it rewrites the realm). Login = a first authenticated request (`GET /v2/`) with the admin user, or
 * with Entra credentials exchanged at `/oauth2/exchange`.
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraCredentials } from '../../packages/core/src/acr/entra-credential';
import { AuthError } from '../../packages/core/src/auth/auth-error';
import { staticCredential } from '../../packages/core/src/auth/credential';
import { createRegistryTransport } from '../../packages/core/src/auth/registry-transport';
import { createUndiciTransport } from '../../packages/core/src/http/undici-transport';
import type { RegistryError } from '../../packages/core/src/http/registry-error';
import { withRetry } from '../../packages/core/src/http/retry';
import { pingRegistry } from '../../packages/core/src/registry/ping';
import { abortAfter } from './abort-after';
import type { FaultRule } from './fault-proxy';
import { countSeen, FAST_RETRY, rejection, startFaultBench, type FaultBench } from './fault-bench';

let bench: FaultBench;
const messages: string[] = [];

beforeAll(async () => {
  bench = await startFaultBench();
}, 120_000);

afterAll(async () => {
  await bench?.stop(messages);
});

describe('login (token endpoint through the proxy)', () => {
  const login = (retry = FAST_RETRY, signal?: AbortSignal) =>
    pingRegistry({ transport: bench.transport(retry), registry: bench.proxy.host, signal });
  const TOKEN = /^\/oauth2\/token/;

  it.each<[string, FaultRule]>([
    ['503 on the token endpoint', { method: 'GET', path: TOKEN, fault: { kind: 'status', status: 503 } }],
    ['a reset on the token endpoint', { method: 'GET', path: TOKEN, fault: { kind: 'reset-request' } }],
    ['a 1 s stall on the token endpoint', { method: 'GET', path: TOKEN, fault: { kind: 'stall', ms: 1000 } }],
    ['a 502 on the first GET /v2/', { method: 'GET', path: /^\/v2\/$/, fault: { kind: 'status', status: 502 } }],
  ])('logs in despite %s', async (_name, rule) => {
    bench.proxy.injectOnly(rule);
    await login();
    expect(bench.proxy.records.filter((r) => r.fault)).toHaveLength(1);
    expect(bench.proxy.records.at(-1)).toMatchObject({ path: '/v2/', status: 200 });
  });

  it('a token endpoint answering a truncated body fails with AuthError INVALID_TOKEN_RESPONSE (token not leaked)', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TOKEN, count: Infinity, fault: { kind: 'truncate-json' } });
    const err = await rejection(login());
    messages.push(err.message, String((err as { cause?: unknown }).cause ?? ''));
    expect(AuthError.is(err, 'INVALID_TOKEN_RESPONSE'), err.message).toBe(true);
  });

  it('a wrong password is a 401 from the token endpoint: reported at once, never retried', async () => {
    bench.proxy.injectOnly();
    const transport = createRegistryTransport({ credentials: staticCredential({ username: bench.rig.admin.username, password: 'wrong-password-123' }), retry: FAST_RETRY });
    const err = await rejection(pingRegistry({ transport, registry: bench.proxy.host }));
    messages.push(err.message);
    expect((err as RegistryError).status).toBe(401);
    expect(err.message).not.toContain('wrong-password-123');
    expect(countSeen(bench.proxy, 'GET', TOKEN)).toBe(1);
  });

  it('an abort ends a login stalled at the token endpoint within 2 s', async () => {
    bench.proxy.injectOnly({ method: 'GET', path: TOKEN, count: Infinity, fault: { kind: 'stall' } });
    const ended = await abortAfter(300, (signal) => login(FAST_RETRY, signal));
    expect(ended.resolved).toBe(false);
    expect(ended.msAfterAbort).toBeLessThan(2000);
  });

  it('Entra login: the /oauth2/exchange survives a 503 and a reset, and the ACR refresh token then logs in', async () => {
    const { rig, proxy } = bench;
    const aad = new ClientSecretCredential(rig.entra.tenantId, rig.entra.clientId, rig.entra.clientSecret, {
      authorityHost: rig.entra.authorityHost,
      disableInstanceDiscovery: true,
    });
    // The exchange names the rig as `service` (its tokens are for it) but travels through the proxy.
    const viaProxy = withRetry(createUndiciTransport(), FAST_RETRY);
    const exchange = createEntraCredentials(aad, {
      loginServers: [rig.loginServer],
      transport: (req) => viaProxy({ ...req, url: req.url.replace(`//${rig.loginServer}/`, `//${proxy.host}/`) }),
    });
    bench.proxy.injectOnly(
      { method: 'POST', path: /^\/oauth2\/exchange/, fault: { kind: 'status', status: 503 } },
      { method: 'POST', path: /^\/oauth2\/exchange/, nth: 2, fault: { kind: 'reset-request' } },
      { method: 'POST', path: TOKEN, fault: { kind: 'status', status: 500 } },
    );
    const transport = createRegistryTransport({ credentials: (_host, o) => exchange(rig.loginServer, o), retry: FAST_RETRY });
    await pingRegistry({ transport, registry: proxy.host });
    expect(bench.proxy.records.filter((r) => r.fault).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.fault}`)).toEqual([
      'POST /oauth2/exchange status', 'POST /oauth2/exchange reset-request', 'POST /oauth2/token status',
    ]);
    expect(bench.proxy.records.at(-1)).toMatchObject({ path: '/v2/', status: 200 });
    messages.push(...bench.lines);
  });
});
