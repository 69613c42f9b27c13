/**
 * `/oauth2/token`: ACR access tokens. POST with an ACR refresh token, POST `grant_type=password`
 * (anonymous with an empty refresh token, or username/password), GET with Basic (admin user, repository-scoped
 * tokens, service principals, the null GUID + refresh token), anonymous GET when anonymous pull is on.
 * Grants are the requested scopes intersected with what the identity may do.
 * Reference: acr-wire.md §1.3-1.5; Azure/acr docs/Token-BasicAuth.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACR_UNAUTHORIZED_MESSAGE, sendAcrError } from './acr-errors';
import { identityFromPassword } from './caller';
import { basicCredentials, parseForm, readBody, sendJson } from './https-server';
import type { Identities, Identity } from './identities';
import { grant, parseScope, type AccessEntry } from './scopes';
import type { TokenIssuer } from './token-issuer';

/** Dependencies of the token endpoint. */
export interface TokenDeps {
  identities: Identities;
  issuer: TokenIssuer;
}

type Resolved = Identity | { error: string };

function fromRefreshToken(token: string, deps: TokenDeps): Resolved {
  try {
    const claims = deps.issuer.verify(token, 'refresh_token');
    return deps.identities.byName(String(claims.sub)) ?? { error: 'the identity no longer has access' };
  } catch {
    return { error: 'the refresh token is invalid or expired' };
  }
}

function resolvePost(form: URLSearchParams, deps: TokenDeps): Resolved {
  const grantType = form.get('grant_type');
  if (grantType === 'refresh_token') return fromRefreshToken(form.get('refresh_token') ?? '', deps);
  if (grantType !== 'password') return { error: `unsupported grant_type ${JSON.stringify(grantType)}` };
  const username = form.get('username');
  if (username !== null && username !== '') {
    return identityFromPassword(username, form.get('password') ?? '', deps) ?? { error: 'wrong username or password' };
  }
  if ((form.get('refresh_token') ?? '') === '') return deps.identities.anonymous() ?? { error: 'anonymous pull is disabled' };
  return fromRefreshToken(form.get('refresh_token') ?? '', deps);
}

function resolveGet(req: IncomingMessage, deps: TokenDeps): Resolved {
  if (req.headers.authorization === undefined) return deps.identities.anonymous() ?? { error: 'anonymous pull is disabled' };
  const basic = basicCredentials(req);
  if (!basic) return { error: 'only Basic authorization is accepted here' };
  return identityFromPassword(basic.username, basic.password, deps) ?? { error: 'wrong username or password' };
}

/** Serves the token endpoint; returns the identity name for the request log (undefined when refused). */
export async function handleToken(req: IncomingMessage, url: URL, res: ServerResponse, deps: TokenDeps): Promise<string | undefined> {
  let params: URLSearchParams;
  let resolved: Resolved;
  if (req.method === 'POST') {
    params = parseForm(await readBody(req, 1024 * 1024));
    resolved = resolvePost(params, deps);
  } else if (req.method === 'GET') {
    params = url.searchParams;
    resolved = resolveGet(req, deps);
  } else {
    sendAcrError(res, 405, 'UNSUPPORTED', 'The requested operation is not supported; use GET or POST.');
    return undefined;
  }
  const service = params.get('service');
  if (service !== null && service !== deps.issuer.loginServer) {
    sendAcrError(res, 400, 'UNSUPPORTED', `service must be ${deps.issuer.loginServer}`);
    return undefined;
  }
  if ('error' in resolved) {
    // The reason stays in the rig; ACR answers every authentication failure the same way.
    sendAcrError(res, 401, 'UNAUTHORIZED', ACR_UNAUTHORIZED_MESSAGE);
    return undefined;
  }
  const requested = params.getAll('scope').flatMap((s) => s.split(' ')).map(parseScope).filter((s): s is AccessEntry => s !== undefined);
  sendJson(res, 200, { access_token: deps.issuer.accessToken(resolved.name, grant(requested, resolved.permissions)) });
  return resolved.name;
}
