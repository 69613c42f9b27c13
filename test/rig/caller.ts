/**
 * Establishes who calls the front: from a bearer access token the rig issued, or from Basic credentials
 * (ACR accepts Basic directly on data-plane calls for the admin user, tokens and service principals).
 */
import type { IncomingMessage } from 'node:http';
import type { Caller, RepoAction } from './front-plugin';
import { basicCredentials, bearerToken } from './https-server';
import type { Identities, Identity } from './identities';
import { ALL_ACTIONS, grant, parseScope, type AccessEntry } from './scopes';
import type { TokenIssuer } from './token-issuer';

/** The user name that says "the password is an ACR refresh token". Reference: acr-wire.md §1.5. */
export const NULL_GUID = '00000000-0000-0000-0000-000000000000';

/** A Caller whose rights are the `access` claim of a token. */
export function callerFromAccess(identity: string, access: AccessEntry[]): Caller {
  return {
    identity,
    can: (repository: string, action: RepoAction) =>
      access.some((a) => a.type === 'repository' && a.name === repository && (a.actions.includes(action) || a.actions.includes('*'))),
    canCatalog: access.some((a) => a.type === 'registry' && a.name === 'catalog' && a.actions.includes('*')),
  };
}

/** A Caller whose rights are an identity's full permissions. */
export function callerFromIdentity(identity: Identity): Caller {
  const p = identity.permissions;
  return {
    identity: identity.name,
    can: (repository, action) => p.all.has(action) || (p.repositories?.[repository]?.includes(action) ?? false),
    canCatalog: p.catalog,
  };
}

/** An identity limited to what an access token grants (a token used as a password). */
function identityFromAccess(name: string, access: AccessEntry[]): Identity {
  const repositories: Record<string, string[]> = {};
  for (const a of access) if (a.type === 'repository') repositories[a.name] = [...(repositories[a.name] ?? []), ...a.actions];
  const catalog = access.some((a) => a.type === 'registry' && a.name === 'catalog' && a.actions.includes('*'));
  return { name, permissions: { all: new Set(), repositories, catalog } };
}

/**
 * Resolves Basic credentials, including the null GUID with an ACR refresh token as password (or an ACR
 * access token, which then grants no more than it carries; Azure/acr docs/AAD-OAuth.md).
 */
export function identityFromPassword(
  username: string,
  password: string,
  deps: { identities: Identities; issuer: TokenIssuer },
): Identity | undefined {
  if (username !== NULL_GUID) return deps.identities.byPassword(username, password);
  for (const kind of ['refresh_token', 'access_token'] as const) {
    try {
      const claims = deps.issuer.verify(password, kind);
      if (kind === 'refresh_token') return deps.identities.byName(String(claims.sub));
      const access = ((claims.access as AccessEntry[] | undefined) ?? []).map((a) => ({ ...a, actions: a.actions.includes('*') ? ['*', ...ALL_ACTIONS] : a.actions }));
      return identityFromAccess(String(claims.sub), access);
    } catch {
      // not this kind of token; try the next
    }
  }
  return undefined;
}

/** What the front knows about a request's credentials. */
export interface Authentication {
  caller: Caller | undefined;
  /** For Basic callers: the identity, so that the proxy can mint a token for Distribution. */
  identity?: Identity;
}

/** Authenticates a request to /v2 or a plugin route; never throws for bad credentials. */
export function authenticate(req: IncomingMessage, deps: { identities: Identities; issuer: TokenIssuer }): Authentication {
  const bearer = bearerToken(req);
  if (bearer !== undefined) {
    try {
      const claims = deps.issuer.verify(bearer, 'access_token');
      return { caller: callerFromAccess(String(claims.sub), (claims.access as AccessEntry[] | undefined) ?? []) };
    } catch {
      return { caller: undefined };
    }
  }
  const basic = basicCredentials(req);
  const identity = basic && identityFromPassword(basic.username, basic.password, deps);
  return identity ? { caller: callerFromIdentity(identity), identity } : { caller: undefined };
}

/** A token for Distribution granting what `identity` may do within `scope`. */
export function tokenForScope(identity: Identity, scope: string | undefined, issuer: TokenIssuer): string {
  const requested = scope ? [parseScope(scope)].filter((s) => s !== undefined) : [];
  return issuer.accessToken(identity.name, grant(requested, identity.permissions), { internal: true });
}
