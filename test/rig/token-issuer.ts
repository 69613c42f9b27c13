/**
 * Mints and checks the registry's own tokens: ACR refresh tokens (from /oauth2/exchange) and access
 * tokens (from /oauth2/token), both RS256 JWTs signed by the key Distribution trusts.
 * Reference: ../shared/notes/acr-wire.md §1.2-1.3 (claims), rig-recipes.md (Distribution's token format).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { registerSecrets } from '../support/secret-registry';
import { IssuedTokens } from './issued-tokens';
import { signJwt, timeClaims, verifyJwt, x5cHeader, type JwtClaims } from './jwt';
import type { AccessEntry } from './scopes';

/** ACR's issuer string; Distribution is configured with the same. */
export const ACR_ISSUER = 'Azure Container Registry';

/** Lifetimes in seconds. */
export interface TokenLifetimes {
  /** ACR refresh tokens; undefined means 10,800 (3 h; real ones live ~3 h 15 min). */
  refresh?: number;
  /** Access tokens; undefined means 4,500 (75 min, as in ACR's doc example). */
  access?: number;
}

/** Signs rig tokens for one login server. */
export class TokenIssuer {
  private readonly publicKey: KeyObject;
  private readonly header: JwtClaims;
  private readonly verified = new Map<string, JwtClaims>();
  /** Every refresh and access token signed (most recent 5,000), for secret scans. */
  readonly issued = new IssuedTokens('ACR refresh or access token');

  constructor(
    readonly loginServer: string,
    private readonly key: { keyPem: string; certPem: string },
    private readonly lifetimes: TokenLifetimes,
    private readonly nowSeconds: () => number,
  ) {
    this.publicKey = createPublicKey(key.certPem);
    this.header = x5cHeader(key.certPem);
  }

  /** An ACR refresh token for `identity` (JWT-shaped with `exp`: the JS SDK decodes it). */
  refreshToken(identity: string, extra: JwtClaims = {}): string {
    const claims = {
      ...timeClaims(this.nowSeconds(), this.lifetimes.refresh ?? 10_800),
      sub: identity,
      iss: ACR_ISSUER,
      aud: this.loginServer,
      version: '1.0',
      grant_type: 'refresh_token',
      ...extra,
    };
    return this.issued.add(signJwt(claims, this.key.keyPem, this.header));
  }

  /**
   * An access token carrying `access` for `identity`. `internal` tokens only ever travel from the rig to
   * Distribution (Basic callers, plugins) and are not remembered in `issued`.
   */
  accessToken(identity: string, access: AccessEntry[], options: { internal?: boolean } = {}): string {
    const claims = {
      ...timeClaims(this.nowSeconds(), this.lifetimes.access ?? 4_500),
      sub: identity,
      iss: ACR_ISSUER,
      aud: this.loginServer,
      version: '1.0',
      grant_type: 'access_token',
      access,
    };
    const token = signJwt(claims, this.key.keyPem, this.header);
    if (options.internal) registerSecrets('ACR internal access token', token);
    return options.internal ? token : this.issued.add(token);
  }

  /**
   * Verifies one of our tokens of `kind`; returns its claims or throws. Signatures already checked are
   * remembered (every proxied request carries a token; most carry the same one), expiry is not.
   */
  verify(token: string, kind: 'refresh_token' | 'access_token'): JwtClaims {
    const now = this.nowSeconds();
    let claims = this.verified.get(token);
    if (!claims || (claims.exp as number) <= now) {
      claims = verifyJwt(token, this.publicKey, { audience: this.loginServer, issuer: ACR_ISSUER, nowSeconds: now });
      if (this.verified.size >= 10_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    if (claims.grant_type !== kind) throw new Error(`token is not an ACR ${kind.replace('_', ' ')}`);
    return claims;
  }
}
