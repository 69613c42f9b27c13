/**
 * Entra ID (an `@azure/identity` TokenCredential) as registry credentials: an Entra token is exchanged
 * at the registry for an ACR refresh token, which the auth layer then trades for access tokens per scope.
 * The refresh token is cached per host and re-exchanged shortly before its `exp` (they last about 3 h;
 * builds can run longer), and concurrent callers share one exchange.
 *
 * Reference: https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md; acr-wire.md §1.2, §1.6.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ACR_TOKEN_USERNAME, type CredentialFunc } from '../auth/credential';
import { createUndiciTransport } from '../http/undici-transport';
import { RegistryError } from '../http/registry-error';
import { withRetry } from '../http/retry';
import type { Transport } from '../http/transport';
import { silentLogger, type Logger } from '../log';
import { exchangeAadToken, type AcrRefreshToken } from './exchange';
import { AZURE_CLOUDS, cloudForLoginServer, isAcrLoginServer } from './login-server';

export interface EntraCredentialOptions {
  /**
   * Entra audience (resource URI, without `/.default`). If undefined: ACR's audience in the login
   * server's cloud (`https://containerregistry.azure.net` in public Azure), falling back to that cloud's
   * ARM audience when Entra or the registry refuses it (a registry whose `azureADAuthenticationAsArmPolicy`
   * differs, or a sovereign cloud where the ACR audience is not registered).
   */
  audience?: string;
  /** Tenant for `getToken` and the exchange's `tenant` field. If undefined, the credential's own. */
  tenantId?: string;
  /**
   * Extra hosts (with port) to answer for besides ACR login servers, such as the local rig
   * (`127.0.0.1:5443`). The Entra token is sent to the host, so other hosts get no credential.
   * If undefined, ACR login servers only.
   */
  loginServers?: string[];
  /** Plain transport for `/oauth2/exchange`. If undefined, `withRetry(createUndiciTransport())`. */
  transport?: Transport;
  /** Re-exchange this long before the refresh token's `exp`. If undefined, 5 minutes (as the Azure SDK). */
  refreshMarginMs?: number;
  /** Lifetime assumed for a refresh token without `exp`. If undefined, 1 hour. */
  defaultLifetimeMs?: number;
  /** If undefined, silent. Tokens are never logged. */
  logger?: Logger;
  /** Clock in ms since the epoch. If undefined, `Date.now`. */
  now?: () => number;
}

/** A CredentialFunc answering `{ username: ACR_TOKEN_USERNAME, refreshToken }`, plus direct access to the token. */
export type EntraCredentials = CredentialFunc & {
  /** The current ACR refresh token for `host` (for a Docker config's `identitytoken`, or `docker login -p`). */
  refreshToken(host: string, options?: { signal?: AbortSignal }): Promise<string>;
};

interface Cached {
  token: string;
  refreshAt: number;
}

/** Creates Entra-backed registry credentials from `tokenCredential`. */
export function createEntraCredentials(tokenCredential: TokenCredential, options: EntraCredentialOptions = {}): EntraCredentials {
  const transport = options.transport ?? withRetry(createUndiciTransport());
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;
  const extraHosts = new Set((options.loginServers ?? []).map((h) => h.toLowerCase()));
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Shared>();
  const preferredAudience = new Map<string, string>();

  const answers = (host: string) => isAcrLoginServer(host) || extraHosts.has(host.toLowerCase());

  const audiencesFor = (host: string): string[] => {
    if (options.audience) return [options.audience];
    const cloud = cloudForLoginServer(host) ?? AZURE_CLOUDS.AzureCloud;
    const all = [cloud.containerRegistryAudience, cloud.resourceManagerAudience];
    const preferred = preferredAudience.get(host);
    return preferred ? [preferred, ...all.filter((a) => a !== preferred)] : all;
  };

  const exchangeWith = async (host: string, audience: string, signal: AbortSignal): Promise<AcrRefreshToken> => {
    const aad = await tokenCredential.getToken(`${audience}/.default`, { tenantId: options.tenantId, abortSignal: signal });
    if (!aad?.token) throw new Error(`Entra ID returned no token for audience ${audience}`);
    return exchangeAadToken(transport, { loginServer: host, aadToken: aad.token, tenantId: options.tenantId, signal });
  };

  const exchange = async (host: string, signal: AbortSignal): Promise<Cached> => {
    const failures: unknown[] = [];
    for (const audience of audiencesFor(host)) {
      signal.throwIfAborted();
      try {
        const refresh = await exchangeWith(host, audience, signal);
        preferredAudience.set(host, audience);
        const expiresAt = refresh.expiresAt ?? now() + (options.defaultLifetimeMs ?? 60 * 60_000);
        logger.debug(`acr: got an ACR refresh token for ${host} (audience ${audience}, expires ${new Date(expiresAt).toISOString()})`);
        return { token: refresh.token, refreshAt: expiresAt - margin };
      } catch (err) {
        // Only a refusal is worth another audience; a broken network or registry is not.
        if (signal.aborted || (RegistryError.is(err) && ![400, 401, 403].includes(err.status))) throw err;
        logger.debug(`acr: audience ${audience} refused for ${host}: ${(err as Error).message}`);
        failures.push(err);
      }
    }
    const first = failures[0] as Error;
    throw new Error(`getting an ACR refresh token for ${host} with Entra ID: ${first.message}`, { cause: first });
  };

  /**
   * The cached token, or the one exchange in flight for `host`. The exchange is shared, so it is
   * cancelled only when every caller waiting for it has aborted.
   */
  const current = (host: string, signal: AbortSignal | undefined): Promise<Cached> => {
    const cached = cache.get(host);
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached);
    let pending = inFlight.get(host);
    if (!pending) {
      const controller = new AbortController();
      const promise = exchange(host, controller.signal)
        .then((fresh) => (cache.set(host, fresh), fresh))
        .finally(() => inFlight.delete(host));
      pending = { promise, controller, waiting: 0 };
      inFlight.set(host, pending);
    }
    return waitFor(pending, signal);
  };

  const refreshToken = async (host: string, opts: { signal?: AbortSignal } = {}): Promise<string> => {
    if (!answers(host)) throw new Error(`Entra credentials are not used for ${host}: not an ACR login server nor in loginServers`);
    return (await current(host, opts.signal)).token;
  };

  const credentials = (async (host: string, opts: { signal?: AbortSignal } = {}) => {
    if (!answers(host)) return undefined;
    return { username: ACR_TOKEN_USERNAME, refreshToken: await refreshToken(host, opts) };
  }) as EntraCredentials;
  credentials.refreshToken = refreshToken;
  return credentials;
}

interface Shared {
  promise: Promise<Cached>;
  controller: AbortController;
  /** Callers still waiting; the exchange is aborted when the last one gives up. */
  waiting: number;
}

/** Waits for a shared exchange; an aborted caller stops waiting at once and releases its share. */
function waitFor(shared: Shared, signal: AbortSignal | undefined): Promise<Cached> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  shared.waiting++;
  return new Promise<Cached>((resolve, reject) => {
    const onAbort = () => {
      if (--shared.waiting === 0) shared.controller.abort(signal!.reason);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.promise.then(resolve, reject).finally(() => {
      if (signal?.aborted) return;
      shared.waiting--;
      signal?.removeEventListener('abort', onAbort);
    });
  });
}
