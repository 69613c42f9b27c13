/**
 * `POST /oauth2/exchange`: an Entra access token (ACR or ARM audience) becomes an ACR refresh token.
 * Reference: acr-wire.md §1.2; Azure/acr docs/AAD-OAuth.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendAcrError } from './acr-errors';
import type { EntraStandIn } from './entra';
import { parseForm, readBody, sendJson } from './https-server';
import type { Identities } from './identities';
import type { TokenIssuer } from './token-issuer';

/** Entra audiences ACR accepts for the exchange (ACR audience; ARM while `azureADAuthenticationAsArmPolicy` is on). */
export const EXCHANGE_AUDIENCES = [
  'https://containerregistry.azure.net',
  'https://management.azure.com',
  'https://management.core.windows.net/',
  'https://management.azure.com/',
];

/** Dependencies of the exchange endpoint. */
export interface ExchangeDeps {
  identities: Identities;
  issuer: TokenIssuer;
  entra: Pick<EntraStandIn, 'verify'>;
}

/** Serves the exchange; returns the identity name for the request log (undefined when refused). */
export async function handleExchange(req: IncomingMessage, res: ServerResponse, deps: ExchangeDeps): Promise<string | undefined> {
  if (req.method !== 'POST') {
    sendAcrError(res, 405, 'UNSUPPORTED', 'The requested operation is not supported; use POST.');
    return undefined;
  }
  const form = parseForm(await readBody(req, 1024 * 1024));
  const grantType = form.get('grant_type');
  if (grantType !== 'access_token' && grantType !== 'access_token_refresh_token') {
    sendAcrError(res, 400, 'UNSUPPORTED', `grant_type must be access_token, got ${JSON.stringify(grantType)}`);
    return undefined;
  }
  if (form.get('service') !== deps.issuer.loginServer) {
    sendAcrError(res, 400, 'UNSUPPORTED', `service must be ${deps.issuer.loginServer}`);
    return undefined;
  }
  let claims: Record<string, unknown>;
  try {
    claims = deps.entra.verify(form.get('access_token') ?? '', EXCHANGE_AUDIENCES);
  } catch {
    sendAcrError(res, 401, 'UNAUTHORIZED', 'the access token is invalid or expired');
    return undefined;
  }
  const tenant = form.get('tenant');
  if (tenant !== null && tenant !== '' && tenant !== claims.tid) {
    sendAcrError(res, 401, 'UNAUTHORIZED', 'the tenant does not match the access token');
    return undefined;
  }
  const principal = deps.identities.principal(claims.oid, claims.appid);
  if (!principal) {
    sendAcrError(res, 401, 'UNAUTHORIZED', 'the identity has no access to this registry');
    return undefined;
  }
  const identity = deps.identities.ofPrincipal(principal);
  const refresh = deps.issuer.refreshToken(identity.name, { tenant: claims.tid, appid: principal.clientId, roles: principal.roles });
  sendJson(res, 200, { refresh_token: refresh });
  return identity.name;
}
