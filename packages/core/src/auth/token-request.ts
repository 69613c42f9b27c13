/**
 * Getting a bearer token from a challenge's realm, the four ways registries take:
 * an access token as is; an OAuth2 refresh token by POST (ACR); username/password by GET with Basic
 * (Docker token flow, ACR admin and repository-scoped tokens); anonymously by GET.
 *
 * Reference: https://distribution.github.io/distribution/spec/auth/token/
 * Reference: https://distribution.github.io/distribution/spec/auth/oauth/
 * Reference: ../shared/notes/acr-wire.md §1.3, §1.4
 */
import { isIP } from 'node:net';
import type { Credential } from './credential';
import { isLoopback } from '../http/undici-transport';
import { readCappedText, RegistryError } from '../http/registry-error';
import { redactUrl } from '../http/redact';
import type { Transport } from '../http/transport';
import { AuthError } from './auth-error';
import { jwtExpiry } from './jwt';
import type { FetchedToken } from './token-cache';

/** Lifetime assumed when a token says nothing about its expiry (the token spec's default). */
export const DEFAULT_TOKEN_LIFETIME_MS = 60_000;
/** Token responses are small; more than this is not a token response. */
const TOKEN_RESPONSE_MAX_BYTES = 1024 * 1024;

/** What {@link fetchToken} needs: the challenge, the scopes and who asks. */
export interface TokenRequest {
  /** The registry host that challenged (for messages). */
  host: string;
  realm: string;
  service?: string;
  scopes: string[];
  credential: Credential | undefined;
  signal?: AbortSignal;
  now?: () => number;
}

/** Says who we are without saying the secret: `user "admin"`, `a refresh token`, `anonymous`. */
export function describeIdentity(credential: Credential | undefined): string {
  if (credential?.username) return `user ${JSON.stringify(credential.username)}`;
  if (credential?.refreshToken) return 'a refresh token';
  if (credential?.accessToken) return 'an access token';
  return 'anonymous';
}

/** The secrets a credential holds, including its Basic header form, for redaction. */
export function credentialSecrets(credential: Credential | undefined): string[] {
  if (!credential) return [];
  const basic = credential.username !== undefined && credential.password ? basicAuth(credential) : undefined;
  return [credential.password, credential.refreshToken, credential.accessToken, basic].filter((s): s is string => !!s);
}

/** The Basic credentials (base64 of `user:password`). */
export function basicAuth(credential: Credential): string {
  return Buffer.from(`${credential.username ?? ''}:${credential.password ?? ''}`, 'utf8').toString('base64');
}

/** Fetches (or, for an access-token credential, passes through) a token for `request.scopes`. */
export async function fetchToken(transport: Transport, request: TokenRequest): Promise<FetchedToken> {
  const now = request.now ?? Date.now;
  const { credential } = request;
  if (credential?.accessToken) return withExpiry(credential.accessToken, undefined, now);
  const realm = checkRealm(request);
  const form = new URLSearchParams();
  if (request.service) form.set('service', request.service);
  for (const scope of request.scopes) form.append('scope', scope);

  let method: string;
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (credential?.refreshToken) {
    method = 'POST';
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', credential.refreshToken);
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = form.toString();
  } else {
    method = 'GET';
    form.forEach((value, key) => realm.searchParams.append(key, value));
    if (credential?.username !== undefined && credential.password !== undefined) {
      headers.Authorization = `Basic ${basicAuth(credential)}`;
    }
  }
  const url = realm.toString();
  const context = `fetching a token for ${request.host}${scopeNote(request.scopes)} as ${describeIdentity(credential)}`;
  const response = await transport({ method, url, headers, ...(body !== undefined && { body }), signal: request.signal });
  if (response.status !== 200) {
    throw await RegistryError.fromResponse(response, { method, url }, { context, secrets: credentialSecrets(credential) });
  }
  const text = await readCappedText(response, TOKEN_RESPONSE_MAX_BYTES);
  return parseTokenResponse(text, `${context}: ${method} ${redactUrl(url)}`, now);
}

function checkRealm(request: TokenRequest): URL {
  let realm: URL;
  try {
    realm = new URL(request.realm);
  } catch {
    throw new AuthError('INVALID_REALM', `${request.host} challenged with realm ${JSON.stringify(redactUrl(request.realm))}, which is not a URL`);
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
    throw new AuthError('INVALID_REALM', `${request.host} challenged with a ${realm.protocol} realm; only https is used`);
  }
  const sendsSecrets = !!(request.credential?.password || request.credential?.refreshToken);
  if (realm.protocol === 'http:' && sendsSecrets && !isLoopback(realm.hostname)) {
    throw new AuthError('INSECURE_REALM', `refusing to send credentials for ${request.host} to the plain-http realm ${redactUrl(realm)}`);
  }
  if (isInternalAddress(realm.hostname) && !isInternalAddress(hostnameOf(request.host))) {
    // A public registry pointing us at a loopback, private or link-local address (cloud metadata
    // endpoints live there) is trying to reach what only this machine can reach.
    throw new AuthError('INVALID_REALM', `${request.host} challenged with the internal realm ${redactUrl(realm)}; refusing to follow it`);
  }
  realm.username = '';
  realm.password = '';
  return realm;
}

/** The hostname of `host[:port]` (brackets of IPv6 literals removed). */
function hostnameOf(host: string): string {
  const literal = /^\[([^\]]+)\]/.exec(host);
  if (literal) return literal[1] as string;
  return host.replace(/:\d+$/, '');
}

/** True for IP literals in loopback, private (RFC 1918, ULA) and link-local ranges, and `localhost`. */
export function isInternalAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) {
    const [a, b] = host.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (isIP(host) === 6) {
    return host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:');
  }
  return false;
}

function parseTokenResponse(text: string, context: string, now: () => number): FetchedToken {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuthError('INVALID_TOKEN_RESPONSE', `${context}: the token endpoint did not answer JSON`);
  }
  const body = (json ?? {}) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
  const token = typeof body.access_token === 'string' && body.access_token ? body.access_token : body.token;
  if (typeof token !== 'string' || token === '') {
    throw new AuthError('INVALID_TOKEN_RESPONSE', `${context}: the answer has no "token" or "access_token"`);
  }
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : undefined;
  return withExpiry(token, expiresIn, now);
}

/** Expiry from `expires_in`, else the JWT `exp`, else {@link DEFAULT_TOKEN_LIFETIME_MS}. */
function withExpiry(token: string, expiresInMs: number | undefined, now: () => number): FetchedToken {
  const expiresAt = expiresInMs !== undefined ? now() + expiresInMs : (jwtExpiry(token) ?? now() + DEFAULT_TOKEN_LIFETIME_MS);
  return { token, expiresAt };
}

function scopeNote(scopes: string[]): string {
  return scopes.length > 0 ? ` (${scopes.join(' ')})` : '';
}
