/**
 * The managed identity endpoint of the Entra stand-in, in the App Service protocol that MSAL (inside
 * `ManagedIdentityCredential`) uses when `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` are set:
 * `GET <endpoint>?api-version=2019-08-01&resource=<aud>[&client_id=<id>]` with header `X-IDENTITY-HEADER`.
 * Reference: learn.microsoft.com "Managed identities for App Service" (REST protocol).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identities, Principal } from './identities';
import { sendJson } from './https-server';

/** Path of the endpoint on the Entra stand-in. */
export const MANAGED_IDENTITY_PATH = '/msi/token';

/** What the endpoint needs. */
export interface ManagedIdentityDeps {
  identities: Identities;
  /** The secret `IDENTITY_HEADER` value callers must present. */
  identityHeader: string;
  lifetimeSeconds: number;
  nowSeconds: () => number;
  mint: (principal: Principal, audience: string) => string;
}

/** Creates the request handler. */
export function createManagedIdentityEndpoint(deps: ManagedIdentityDeps) {
  return (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.headers['x-identity-header'] !== deps.identityHeader) {
      sendJson(res, 401, { statusCode: 401, message: 'X-IDENTITY-HEADER is missing or wrong' });
      return;
    }
    const resource = url.searchParams.get('resource');
    if (!resource) {
      sendJson(res, 400, { statusCode: 400, message: 'resource is required' });
      return;
    }
    const clientId = url.searchParams.get('client_id');
    const objectId = url.searchParams.get('principal_id') ?? url.searchParams.get('object_id');
    const candidates = deps.identities.principals.filter((p) => p.managedIdentity);
    // Without an id, the system-assigned identity answers: the first managed identity.
    const principal = clientId ? candidates.find((p) => p.clientId === clientId) : objectId ? candidates.find((p) => p.objectId === objectId) : candidates[0];
    if (!principal) {
      sendJson(res, 400, { statusCode: 400, message: 'no managed identity matches the requested id' });
      return;
    }
    const audience = resource.replace(/\/\.default$/, '');
    sendJson(res, 200, {
      access_token: deps.mint(principal, audience),
      expires_on: String(deps.nowSeconds() + deps.lifetimeSeconds),
      resource: audience,
      token_type: 'Bearer',
      client_id: principal.clientId,
    });
  };
}
