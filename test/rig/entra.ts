/**
 * Entra ID stand-in that real `@azure/identity` credentials accept with
 * `{ authorityHost: entra.authorityHost, disableInstanceDiscovery: true }`: OpenID discovery, JWKS and the
 * v2.0 token endpoint for `client_credentials` with a client secret or a federated client assertion.
 * Reference: rig-recipes.md "An Entra ID stand-in"; Microsoft identity platform client credentials flow.
 */
import { createPublicKey, generateKeyPair, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import type { KeyPair } from './ca';
import { createManagedIdentityEndpoint, MANAGED_IDENTITY_PATH } from './entra-managed-identity';
import type { Identities, Principal } from './identities';
import { parseForm, readBody, sendJson, startHttpsServer, type RunningServer } from './https-server';
import { IssuedTokens } from './issued-tokens';
import { signJwt, timeClaims, verifyJwt, type JwtClaims } from './jwt';

/** The audience GitHub ID tokens must carry to be used as Entra client assertions. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

/** Who may sign a federated assertion: the OIDC stand-in's issuer and key. */
export interface TrustedIssuer {
  issuer: string;
  publicKey: KeyObject;
}

/** The running stand-in. */
export interface EntraStandIn {
  authorityHost: string;
  tenantId: string;
  /** Verifies an Entra access token it issued for one of `audiences`; throws JwtError otherwise. */
  verify(token: string, audiences: string[]): JwtClaims;
  /** Access tokens issued so far. */
  issued(): number;
  /** The access tokens themselves (most recent 5,000), for secret scans. */
  tokens(): string[];
  /**
   * Environment that makes `ManagedIdentityCredential` use this stand-in (App Service managed identity
   * protocol): `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` (a secret).
   */
  managedIdentityEnv: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  close(): Promise<void>;
}

/** Options of the stand-in. */
export interface EntraOptions {
  identities: Identities;
  trusted: TrustedIssuer;
  tenantId: string;
  /** Access token lifetime; undefined means 3,600 s. */
  lifetimeSeconds?: number;
  now: () => number;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `*` in a federated subject pattern matches any run of characters. */
function subjectMatches(pattern: string, subject: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(subject);
}

function aadError(res: ServerResponse, status: number, error: string, code: number, description: string): void {
  sendJson(res, status, {
    error,
    error_description: `AADSTS${code}: ${description}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  });
}

/** Starts the Entra stand-in on a free loopback port. */
export async function startEntra(tls: KeyPair, options: EntraOptions): Promise<EntraStandIn> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const identityHeader = randomBytes(24).toString('base64url');
  const issued = new IssuedTokens('Entra access token');
  let server: RunningServer | undefined = undefined;
  const nowSeconds = (): number => Math.floor(options.now() / 1000);
  const issuerOf = (tenant: string): string => `https://sts.windows.net/${tenant}/`;

  /** An Entra access token for `principal` and `audience` (v1 claims, as ACR's exchange reads them). */
  const mint = (principal: Principal, audience: string, tenant: string): string => {
    const claims = {
      ...timeClaims(nowSeconds(), options.lifetimeSeconds ?? 3600),
      aud: audience,
      iss: issuerOf(tenant),
      tid: tenant,
      oid: principal.objectId,
      sub: principal.objectId,
      appid: principal.clientId,
      azp: principal.clientId,
      idtyp: 'app',
      ver: '1.0',
    };
    return issued.add(signJwt(claims, privateKey, { kid }));
  };
  const managedIdentity = createManagedIdentityEndpoint({
    identities: options.identities,
    identityHeader,
    lifetimeSeconds: options.lifetimeSeconds ?? 3600,
    nowSeconds,
    mint: (p, audience) => mint(p, audience, options.tenantId),
  });

  const authenticate = (form: URLSearchParams): Principal | string => {
    const principal = options.identities.principals.find((p) => p.clientId === form.get('client_id'));
    if (!principal) return 'unknown client';
    const secret = form.get('client_secret');
    if (secret !== null) return principal.clientSecret !== undefined && sameSecret(secret, principal.clientSecret) ? principal : 'bad secret';
    const assertion = form.get('client_assertion');
    if (assertion === null || principal.federatedSubject === undefined) return 'bad secret';
    try {
      const claims = verifyJwt(assertion, options.trusted.publicKey, {
        issuer: options.trusted.issuer,
        audience: FEDERATION_AUDIENCE,
        nowSeconds: nowSeconds(),
      });
      return subjectMatches(principal.federatedSubject, String(claims.sub)) ? principal : 'no federation';
    } catch {
      return 'bad assertion';
    }
  };

  const token = async (req: IncomingMessage, res: ServerResponse, tenant: string): Promise<void> => {
    const form = parseForm(await readBody(req, 1024 * 1024));
    if (form.get('grant_type') !== 'client_credentials') {
      aadError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
      return;
    }
    const result = authenticate(form);
    if (result === 'unknown client') {
      aadError(res, 400, 'unauthorized_client', 700016, 'Application was not found in the directory.');
      return;
    }
    if (typeof result === 'string') {
      const why = result === 'no federation' ? 'No matching federated identity record found for presented assertion subject.' : 'Invalid client secret or assertion provided.';
      aadError(res, 401, 'invalid_client', result === 'no federation' ? 70021 : 7000215, why);
      return;
    }
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default'));
    if (!scope) {
      aadError(res, 400, 'invalid_scope', 1002012, 'The provided value for scope is not valid: client credentials need <resource>/.default.');
      return;
    }
    const lifetime = options.lifetimeSeconds ?? 3600;
    const access_token = mint(result, scope.slice(0, -'/.default'.length), tenant);
    sendJson(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token });
  };

  const discovery = (tenant: string): Record<string, unknown> => {
    const base = `${server!.url}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      issuer: `${server!.url}/${tenant}/v2.0`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      tenant_region_scope: null,
    };
  };

  server = await startHttpsServer(tls, async (req, res) => {
    const url = new URL(req.url ?? '/', server!.url);
    const [tenant, ...rest] = url.pathname.split('/').filter((s) => s !== '');
    const route = `${req.method} ${rest.join('/')}`;
    if (url.pathname === MANAGED_IDENTITY_PATH) managedIdentity(req, res, url);
    else if (tenant === undefined) sendJson(res, 404, { error: 'not_found' });
    else if (tenant !== options.tenantId) aadError(res, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    else if (route === 'GET v2.0/.well-known/openid-configuration') sendJson(res, 200, discovery(tenant));
    else if (route === 'GET discovery/v2.0/keys' || route === 'GET discovery/keys') {
      sendJson(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    } else if (route === 'POST oauth2/v2.0/token') await token(req, res, tenant);
    else sendJson(res, 404, { error: 'not_found', error_description: `the Entra stand-in does not serve ${route}` });
  });

  const verifyKey = createPublicKey(publicKey.export({ format: 'pem', type: 'spki' }));
  return {
    authorityHost: server.url,
    tenantId: options.tenantId,
    verify: (jwt, audiences) => verifyJwt(jwt, verifyKey, { audience: audiences, nowSeconds: nowSeconds() }),
    issued: () => issued.count(),
    tokens: () => issued.list(),
    managedIdentityEnv: { IDENTITY_ENDPOINT: `${server.url}${MANAGED_IDENTITY_PATH}`, IDENTITY_HEADER: identityHeader },
    close: () => server.close(),
  };
}
