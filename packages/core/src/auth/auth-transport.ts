/**
 * The auth decorator: answers a registry's 401 challenge with a token (Bearer) or credentials
 * (Basic) and replays the request; remembers each host's challenge so later requests that name their
 * `scopes` go out authorized on the first try.
 *
 * Reference: https://distribution.github.io/distribution/spec/auth/token/
 * Reference: ggcr pkg/v1/remote/transport/bearer.go; oras-go registry/remote/auth/client.go
 */
import { silentLogger, type Logger } from '../log';
import { discardBody } from '../http/discard-body';
import { RegistryError } from '../http/registry-error';
import type { Transport, TransportRequest, TransportResponse } from '../http/transport';
import type { Credential, CredentialFunc } from './credential';
import { findBasicChallenge, findBearerChallenge, parseWwwAuthenticate, type Challenge } from './challenge';
import { mergeScopes } from './scope';
import { TokenCache } from './token-cache';
import { basicAuth, credentialSecrets, describeIdentity, fetchToken } from './token-request';

/** Options of {@link withAuth}. */
export interface AuthOptions {
  /** Credentials per registry host; `undefined` answers mean anonymous. */
  credentials: CredentialFunc;
  /** Gets debug lines about token fetches (never the tokens). If undefined, silent. */
  logger?: Logger;
  /** The token cache; if undefined, a new one private to this transport. Pass one to share or clear it. */
  cache?: TokenCache;
  /** Clock in ms for token expiry; if undefined, `Date.now`. */
  now?: () => number;
}

/** How one attempt was authorized; `key` is the token cache key (Bearer) or `basic:<host>`. */
interface Authorization {
  header: string;
  key: string;
  token?: string;
  credential: Credential | undefined;
}

/**
 * Wraps `transport` with registry authentication. Authorization is only ever sent to the host of
 * the request URL that challenged; redirects elsewhere (blob storage) go without it. When the
 * registry still answers 401 after a fresh token or Basic credentials, the request fails with a
 * RegistryError naming the refused identity (never its secret).
 */
export function withAuth(transport: Transport, options: AuthOptions): Transport {
  const cache = options.cache ?? new TokenCache(options.now ? { now: options.now } : {});
  const logger = options.logger ?? silentLogger;
  const challenges = new Map<string, Challenge>();

  /** The token cache key (Bearer) or `basic:<host>`: one per host, service and sorted scope set. */
  const keyFor = (host: string, challenge: Challenge, scopes: string[]) =>
    challenge.scheme === 'basic' ? `basic:${host}` : `${host}|${challenge.params.service ?? ''}|${scopes.join(' ')}`;

  async function authorize(host: string, challenge: Challenge, scopes: string[], signal?: AbortSignal): Promise<Authorization | undefined> {
    const key = keyFor(host, challenge, scopes);
    const cached = challenge.scheme === 'basic' ? undefined : cache.get(key);
    // A cached token needs no credential lookup: the common case costs nothing but a map read.
    if (cached !== undefined) return { header: `Bearer ${cached}`, key, token: cached, credential: undefined };
    const credential = await options.credentials(host, { signal });
    if (challenge.scheme === 'basic') {
      if (credential?.username === undefined || credential.password === undefined) return undefined;
      return { header: `Basic ${basicAuth(credential)}`, key, credential };
    }
    const { realm = '', service } = challenge.params;
    const token = await cache.getOrFetch(
      key,
      async (fetchSignal) => {
        const fetched = await fetchToken(transport, { host, realm, service, scopes, credential, signal: fetchSignal, now: options.now });
        logger.debug(`got a token for ${host}${scopes.length ? ` (${scopes.join(' ')})` : ''} as ${describeIdentity(credential)}`);
        return fetched;
      },
      signal,
    );
    return { header: `Bearer ${token}`, key, token, credential };
  }

  const send = (request: TransportRequest, auth: Authorization | undefined) =>
    transport(auth ? { ...request, headers: { ...withoutAuthorization(request.headers), Authorization: auth.header } } : request);

  return async (request) => {
    const host = new URL(request.url).host;
    let scopes = mergeScopes(request.scopes);
    // Keys whose credentials were fresh for this request: a second refusal of one of them is final.
    const fresh = new Set<string>();
    const known = challenges.get(host);
    let auth: Authorization | undefined;
    if (known) {
      const key = keyFor(host, known, scopes);
      if (known.scheme === 'basic' || cache.get(key) === undefined) fresh.add(key);
      auth = await authorize(host, known, scopes, request.signal);
    }
    let response = await send(request, auth);
    let lastChallenge: Challenge | undefined;
    while (response.status === 401 && sameHost(response, host)) {
      const parsed = parseWwwAuthenticate(response.headers.get('www-authenticate'));
      const challenge = findBearerChallenge(parsed) ?? findBasicChallenge(parsed);
      if (!challenge) break;
      lastChallenge = challenge;
      challenges.set(host, challenge);
      scopes = mergeScopes(scopes, challenge.params.scope);
      const key = keyFor(host, challenge, scopes);
      if (fresh.has(key)) break;
      if (auth) cache.invalidate(auth.key, auth.token);
      fresh.add(key);
      const next = await authorize(host, challenge, scopes, request.signal);
      if (!next) break;
      await discardBody(response);
      auth = next;
      response = await send(request, auth);
    }
    if (response.status === 401 && auth && sameHost(response, host)) {
      cache.invalidate(auth.key, auth.token);
      const credential = auth.credential ?? (await options.credentials(host, { signal: request.signal }).catch(() => undefined));
      throw await RegistryError.fromResponse(response, request, {
        hint: refusalHint(credential, lastChallenge, scopes),
        secrets: [...credentialSecrets(credential), auth.token],
      });
    }
    return response;
  };
}

/** Says who was refused, and for which scopes when the token was valid but too narrow. */
function refusalHint(credential: Credential | undefined, challenge: Challenge | undefined, scopes: string[]): string {
  const identity = describeIdentity(credential);
  if (challenge?.params.error === 'insufficient_scope' && scopes.length > 0) {
    return `(insufficient scope: ${identity} was not granted ${scopes.join(' ')})`;
  }
  return `(the registry refused ${identity})`;
}

/** False when redirects took the request to another host, whose 401 is not ours to answer. */
function sameHost(response: TransportResponse, host: string): boolean {
  if (!response.url) return true;
  try {
    return new URL(response.url).host === host;
  } catch {
    return true;
  }
}

function withoutAuthorization(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => k.toLowerCase() !== 'authorization'));
}
