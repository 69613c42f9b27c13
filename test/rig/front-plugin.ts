/**
 * The seam between the rig's ACR front (auth, /oauth2/*, the /v2 proxy to Distribution) and the parts
 * that serve ACR's metadata API (/acr/v1) and enforce its locks. The front owns identities and tokens;
 * plugins own ACR state. Kept here so both sides can be written and tested apart.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Actions ACR knows in token scopes (both spellings of the metadata ones are accepted by the front). */
export type RepoAction = 'pull' | 'push' | 'delete' | 'metadata_read' | 'metadata_write';

/** Who is calling, as the front established it from the bearer token (undefined when anonymous without token). */
export interface Caller {
  /** A stable, non-secret name: `admin`, `token:<name>`, `entra:<clientId>`, `anonymous`. */
  identity: string;
  /** Whether the presented access token grants `action` on `repository`. */
  can(repository: string, action: RepoAction): boolean;
  /** Whether the token grants `registry:catalog:*`. */
  canCatalog: boolean;
}

/** A /v2 request as the front parsed it, before or after it is proxied to Distribution. */
export interface V2Operation {
  method: string;
  kind: 'base' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'upload' | 'referrers' | 'other';
  repository?: string;
  /** Tag or digest for manifests, digest for blobs. */
  reference?: string;
  /** Request headers, lower-cased names (Content-Type of a manifest PUT, Accept of a GET). */
  headers: Record<string, string | string[] | undefined>;
}

/** A refusal in ACR's error shape: `{"errors":[{"code","message"}]}` with `status`. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export interface FrontPlugin {
  /**
   * Serves a request the front does not own (everything under /acr/v1). Called after authentication:
   * `caller` is undefined when no valid token was presented, and the plugin answers 401 with
   * `challenge(scope)` as the WWW-Authenticate value. Returns true when it answered.
   */
  handle?(
    req: IncomingMessage,
    res: ServerResponse,
    context: { url: URL; body: Buffer; caller: Caller | undefined; challenge: (scope: string) => string },
  ): Promise<boolean>;
  /** Asked before a /v2 request is proxied; a Refusal is sent instead (e.g. overwriting a locked tag). */
  beforeProxy?(op: V2Operation, caller: Caller | undefined): Promise<Refusal | undefined>;
  /**
   * Told after Distribution answered a /v2 request. `body` is the manifest bytes of a successful
   * manifest PUT (so the plugin can record tags, sizes and times), else empty.
   */
  afterProxy?(op: V2Operation, status: number, responseHeaders: Headers, body: Buffer): Promise<void>;
}
