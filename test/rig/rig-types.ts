/**
 * The shapes of the local ACR rig's API: what `startRig` takes and returns (see rig.ts).
 */
import type { FrontPlugin } from './front-plugin';
import type { RepositoryToken } from './identities';
import type { RequestRecord } from './request-log';
import type { Role } from './scopes';

/** An extra Entra principal; missing ids and secret are generated. */
export interface PrincipalOptions {
  clientId?: string;
  /** Generated when neither this nor `federatedSubject` is given; `null` means "no secret". */
  clientSecret?: string | null;
  federatedSubject?: string;
  /** Also served by the managed identity endpoint. */
  managedIdentity?: boolean;
  roles: Role[];
}

/** Options of `startRig`; every field is optional. */
export interface RigOptions {
  /** Anonymous pull (ACR Standard/Premium feature); undefined means off. */
  anonymousPull?: boolean;
  /** ACR refresh token lifetime; undefined means 10,800 s (3 h). */
  refreshTokenLifetimeSeconds?: number;
  /** ACR access token lifetime; undefined means 4,500 s. */
  accessTokenLifetimeSeconds?: number;
  /** Entra access token lifetime; undefined means 3,600 s. */
  entraTokenLifetimeSeconds?: number;
  /** GitHub ID token lifetime; undefined means 300 s. */
  oidcTokenLifetimeSeconds?: number;
  /** `sub` of GitHub ID tokens; undefined means `repo:acrkit/acrkit:ref:refs/heads/main`. */
  oidcSubject?: string;
  /** Extra Entra principals besides the default ones (see Rig.entra). */
  principals?: PrincipalOptions[];
  /** Repository-scoped tokens present from the start. */
  repositoryTokens?: RepositoryToken[];
  /**
   * Blob downloads answer 307 to a Blob Storage stand-in on another origin (`https://localhost:<port>`,
   * SAS-signed URL, no token needed), as ACR does; undefined means true. False: Distribution serves them.
   */
  blobRedirects?: boolean;
  /** Front plugins; undefined means the default ones (the /acr/v1 plugin when test/rig/acr-v1 provides it). */
  plugins?: FrontPlugin[];
  /** Clock in ms since the epoch; undefined means Date.now. */
  now?: () => number;
  signal?: AbortSignal;
}

/** Credentials of an Entra principal as returned to tests. */
export interface RigPrincipal {
  clientId: string;
  objectId: string;
  clientSecret?: string;
  federatedSubject?: string;
  roles: Role[];
}

/** A running rig. */
export interface Rig {
  /** `127.0.0.1:<port>`: the login server name clients use (and the token `service`). */
  loginServer: string;
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** Directory holding `ca.crt` for skopeo `--cert-dir`, `--src-cert-dir`, `--dest-cert-dir`. */
  certDir: string;
  /** The rig CA certificate (PEM file), the value for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  admin: { username: string; password: string };
  entra: {
    /** `https://127.0.0.1:<port>` for `authorityHost` (with `disableInstanceDiscovery: true`). */
    authorityHost: string;
    tenantId: string;
    /** Service principal with a secret; role Owner. */
    clientId: string;
    clientSecret: string;
    /** Principal accepting GitHub OIDC assertions whose `sub` starts `repo:acrkit/acrkit:`; role Owner. */
    federatedClientId: string;
    /** Service principal with a secret and role AcrPull only. */
    pullOnly: { clientId: string; clientSecret: string };
    /**
     * System-assigned managed identity (role Owner). Put `env` into process.env (or a child's env) and
     * `ManagedIdentityCredential` gets its tokens from the stand-in (App Service protocol).
     */
    managedIdentity: { clientId: string; env: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string } };
    /** Every principal, including `options.principals`. */
    principals: RigPrincipal[];
    /** Entra access tokens issued so far. */
    issued(): number;
  };
  oidc: { requestUrl: string; requestToken: string; issuer: string; subject: string; issued(): number };
  /** Distribution itself (`http://127.0.0.1:<port>`, token auth on). */
  distributionUrl: string;
  /** Distribution's filesystem storage root. */
  storageDir: string;
  /** Process id of docker-registry (tests check it is gone after stop). */
  distributionPid: number;
  /** Every request the front served, oldest first (live array). */
  requests: RequestRecord[];
  resetRequests(): void;
  /** Adds (or replaces) a repository-scoped token. */
  addRepositoryToken(token: RepositoryToken): void;
  /** Calls Distribution with an all-powerful token for the path's scope (what plugins get). */
  distributionFetch(path: string, init?: RequestInit): Promise<Response>;
  /**
   * Secrets this rig handed out so far (for expectNoSecrets): passwords, client secrets, the OIDC request
   * token, the managed identity header, the `sig` of every SAS URL it redirected to, and the most recent
   * 5,000 of each kind of token it issued (ACR refresh and access tokens, Entra tokens, GitHub ID tokens).
   */
  secrets(): string[];
  stop(): Promise<void>;
}

/** The plain-data part of a Rig (what `npm run rig -- --json` prints and `startRigProcess` returns). */
export interface RigInfo {
  loginServer: string;
  url: string;
  certDir: string;
  caFile: string;
  admin: { username: string; password: string };
  entra: Omit<Rig['entra'], 'issued'>;
  oidc: Omit<Rig['oidc'], 'issued'>;
  distributionUrl: string;
  storageDir: string;
  distributionPid: number;
  /** `rig.secrets()` at start. */
  secrets: string[];
}

/** Picks the plain data out of a Rig. */
export function rigInfo(rig: Rig): RigInfo {
  const { issued: _e, ...entra } = rig.entra;
  const { issued: _o, ...oidc } = rig.oidc;
  return {
    loginServer: rig.loginServer,
    url: rig.url,
    certDir: rig.certDir,
    caFile: rig.caFile,
    admin: rig.admin,
    entra,
    oidc,
    distributionUrl: rig.distributionUrl,
    storageDir: rig.storageDir,
    distributionPid: rig.distributionPid,
    secrets: rig.secrets(),
  };
}
