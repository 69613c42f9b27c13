/**
 * Who may use the rig and what they may do: the admin user, repository-scoped tokens (ACR "tokens"
 * with a scope map), Entra principals (service principals, federated identities) and anonymous pull.
 * Pure lookups; secrets are compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { RepoAction } from './front-plugin';
import { ALL_ACTIONS, permissionsOfRoles, type Permissions, type Role } from './scopes';

/** An Entra principal the rig's Entra stand-in issues tokens for and the front maps to roles. */
export interface Principal {
  /** Application (client) id, also used as `appid` and, unless `objectId` is set, as `oid`. */
  clientId: string;
  /** Object id (`oid` claim). */
  objectId: string;
  /** Client secret; undefined when the principal signs in only with a federated assertion. */
  clientSecret?: string;
  /**
   * Federated credential: a client assertion from the GitHub OIDC stand-in is accepted when its `sub`
   * matches this pattern (`*` matches any run of characters). Undefined: no federated sign-in.
   */
  federatedSubject?: string;
  /** Served by the managed identity endpoint (the first one is the system-assigned identity). */
  managedIdentity?: boolean;
  roles: Role[];
}

/** An ACR repository-scoped token: a name, a password and actions per repository. */
export interface RepositoryToken {
  name: string;
  password: string;
  repositories: Record<string, RepoAction[]>;
}

/** A resolved identity: its stable non-secret name and permissions. */
export interface Identity {
  name: string;
  permissions: Permissions;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The rig's identity store. */
export class Identities {
  readonly tokens = new Map<string, RepositoryToken>();

  constructor(
    readonly admin: { username: string; password: string },
    readonly principals: Principal[],
    readonly anonymousPull: boolean,
  ) {}

  /** The admin user or a repository-scoped token, by username and password; undefined when wrong. */
  byPassword(username: string, password: string): Identity | undefined {
    if (username === this.admin.username && sameSecret(password, this.admin.password)) {
      return { name: 'admin', permissions: { all: new Set(ALL_ACTIONS), catalog: true } };
    }
    const token = this.tokens.get(username);
    if (token && sameSecret(password, token.password)) return this.ofToken(token);
    const sp = this.principals.find((p) => p.clientId === username);
    if (sp?.clientSecret !== undefined && sameSecret(password, sp.clientSecret)) return this.ofPrincipal(sp);
    return undefined;
  }

  /** An Entra principal by `oid` or `appid`. */
  principal(objectId: unknown, appId: unknown): Principal | undefined {
    return this.principals.find((p) => p.objectId === objectId || p.clientId === appId);
  }

  /** Resolves the identity names used in refresh tokens (`admin`, `token:<n>`, `entra:<clientId>`). */
  byName(name: string): Identity | undefined {
    if (name === 'admin') return { name, permissions: { all: new Set(ALL_ACTIONS), catalog: true } };
    if (name.startsWith('token:')) {
      const token = this.tokens.get(name.slice('token:'.length));
      return token && this.ofToken(token);
    }
    if (name.startsWith('entra:')) {
      const sp = this.principals.find((p) => p.clientId === name.slice('entra:'.length));
      return sp && this.ofPrincipal(sp);
    }
    return undefined;
  }

  /**
   * Anonymous pull: read-only data plane, i.e. `pull` and `metadata_read` on every repository and the
   * catalog (the SDK's anonymous recording lists /acr/v1/_catalog). Undefined when the registry disallows it.
   */
  anonymous(): Identity | undefined {
    if (!this.anonymousPull) return undefined;
    return { name: 'anonymous', permissions: { all: new Set(['pull', 'metadata_read']), catalog: true } };
  }

  ofPrincipal(p: Principal): Identity {
    return { name: `entra:${p.clientId}`, permissions: permissionsOfRoles(p.roles) };
  }

  private ofToken(token: RepositoryToken): Identity {
    return { name: `token:${token.name}`, permissions: { all: new Set(), repositories: token.repositories, catalog: false } };
  }
}
