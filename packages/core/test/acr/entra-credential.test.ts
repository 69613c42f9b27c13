import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import { createEntraCredentials } from '../../src/acr/entra-credential';
import { ACR_TOKEN_USERNAME } from '../../src/auth/credential';
import type { Transport, TransportRequest } from '../../src/http/transport';
import type { Logger } from '../../src/log';

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

function fakeEntra(): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
      const s = [scope].flat()[0]!;
      scopes.push(s);
      return { token: `aad-secret-for-${s}`, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

/** A transport answering /oauth2/exchange; `refuse` lists audiences whose tokens get 401. */
function fakeExchange(options: { now: () => number; lifetimeS: number; refuse?: string[] }) {
  const requests: Array<{ url: string; form: URLSearchParams }> = [];
  const transport: Transport = async (request: TransportRequest) => {
    const form = new URLSearchParams(String(request.body));
    requests.push({ url: request.url, form });
    await new Promise((r) => setTimeout(r, 5));
    if (options.refuse?.some((a) => form.get('access_token')!.includes(a))) {
      return new Response(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'audience refused' }] }), { status: 401 });
    }
    const exp = Math.floor(options.now() / 1000) + options.lifetimeS;
    return Response.json({ refresh_token: jwt({ exp, n: requests.length }) });
  };
  return { transport, requests };
}

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (m: string) => void lines.push(m);
  return { lines, debug: log, info: log, warn: log, error: log, group: (_n, fn) => fn() };
}

describe('createEntraCredentials', () => {
  it('exchanges an ACR-audience Entra token and answers the null-GUID user with the refresh token', async () => {
    let clock = 1_700_000_000_000;
    const entra = fakeEntra();
    const { transport, requests } = fakeExchange({ now: () => clock, lifetimeS: 3 * 3600 });
    const logger = capturingLogger();
    const creds = createEntraCredentials(entra, { transport, now: () => clock, tenantId: 'tenant-1', logger });
    const credential = await creds('myreg.azurecr.io');
    expect(credential?.username).toBe(ACR_TOKEN_USERNAME);
    expect(credential?.refreshToken).toMatch(/^e30\./);
    expect(entra.scopes).toEqual(['https://containerregistry.azure.net/.default']);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('https://myreg.azurecr.io/oauth2/exchange');
    expect([...requests[0]!.form.keys()]).toEqual(['grant_type', 'service', 'tenant', 'access_token']);
    expect(requests[0]!.form.get('grant_type')).toBe('access_token');
    expect(requests[0]!.form.get('service')).toBe('myreg.azurecr.io');

    clock += 2 * 3600_000; // still 1 h before exp: cached
    expect(await creds.refreshToken('myreg.azurecr.io')).toBe(credential!.refreshToken);
    expect(requests).toHaveLength(1);
    clock += 56 * 60_000; // within 5 min of exp: re-exchanged
    const renewed = await creds.refreshToken('myreg.azurecr.io');
    expect(renewed).not.toBe(credential!.refreshToken);
    expect(requests).toHaveLength(2);
    for (const line of logger.lines) {
      expect(line).not.toContain('aad-secret');
      expect(line).not.toContain(renewed);
    }
  });

  it('shares one exchange between concurrent callers', async () => {
    const { transport, requests } = fakeExchange({ now: Date.now, lifetimeS: 3600 });
    const creds = createEntraCredentials(fakeEntra(), { transport });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => creds.refreshToken('myreg.azurecr.io')));
    expect(new Set(tokens).size).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it('falls back to the ARM audience when the registry refuses the ACR audience, and remembers it', async () => {
    const entra = fakeEntra();
    const { transport, requests } = fakeExchange({ now: Date.now, lifetimeS: 1, refuse: ['containerregistry'] });
    const creds = createEntraCredentials(entra, { transport, refreshMarginMs: 5000 });
    await creds.refreshToken('sovereign.azurecr.cn');
    expect(entra.scopes).toEqual(['https://containerregistry.azure.cn/.default', 'https://management.chinacloudapi.cn/.default']);
    await creds.refreshToken('sovereign.azurecr.cn'); // expired at once (1 s < margin): re-exchanged with ARM first
    expect(entra.scopes.at(-1)).toBe('https://management.chinacloudapi.cn/.default');
    expect(requests).toHaveLength(3);
  });

  it('reports a refusal by every audience without the Entra token', async () => {
    const { transport } = fakeExchange({ now: Date.now, lifetimeS: 3600, refuse: ['aad'] });
    const creds = createEntraCredentials(fakeEntra(), { transport });
    const err = await creds.refreshToken('myreg.azurecr.io').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('getting an ACR refresh token for myreg.azurecr.io');
    expect((err as Error).message).toContain('401');
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain('aad-secret');
  });

  it('gives no credential to hosts that are not ACR login servers unless listed', async () => {
    const { transport, requests } = fakeExchange({ now: Date.now, lifetimeS: 3600 });
    const creds = createEntraCredentials(fakeEntra(), { transport, loginServers: ['127.0.0.1:5443'] });
    expect(await creds('ghcr.io')).toBeUndefined();
    await expect(creds.refreshToken('ghcr.io')).rejects.toThrow(/not an ACR login server/);
    expect(await creds('127.0.0.1:5443')).toMatchObject({ username: ACR_TOKEN_USERNAME });
    expect(requests.map((r) => r.url)).toEqual(['https://127.0.0.1:5443/oauth2/exchange']);
  });

  it('stops waiting when the caller aborts, without cancelling the shared exchange', async () => {
    const { transport, requests } = fakeExchange({ now: Date.now, lifetimeS: 3600 });
    const creds = createEntraCredentials(fakeEntra(), { transport });
    const controller = new AbortController();
    const aborted = creds.refreshToken('myreg.azurecr.io', { signal: controller.signal });
    const other = creds.refreshToken('myreg.azurecr.io');
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await expect(other).resolves.toMatch(/^e30\./);
    expect(requests).toHaveLength(1);
  });

  it('cancels the exchange when every waiting caller has aborted', async () => {
    let seen: AbortSignal | undefined;
    const transport: Transport = (request) =>
      new Promise((_resolve, reject) => {
        seen = request.signal;
        request.signal?.addEventListener('abort', () => reject(request.signal!.reason));
      });
    const creds = createEntraCredentials(fakeEntra(), { transport });
    const controller = new AbortController();
    const waiting = creds.refreshToken('myreg.azurecr.io', { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen?.aborted).toBe(false);
    controller.abort(new Error('user cancelled'));
    await expect(waiting).rejects.toThrow('user cancelled');
    expect(seen?.aborted).toBe(true);
  });
});
