/**
 * Mints and checks the registry's own tokens: ACR refresh tokens (from /oauth2/exchange) and access
 * tokens (from /oauth2/token), both RS256 JWTs signed by the key Distribution trusts.
 * Reference: ../shared/notes/acr-wire.md §1.2-1.3 (claims), rig-recipes.md (Distribution's token format).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
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
    const now = this.nowSeconds();
    return signJwt(
      {
        ...timeClaims(now, this.lifetimes.refresh ?? 10_800),
        sub: identity,
        iss: ACR_ISSUER,
        aud: this.loginServer,
        version: '1.0',
        grant_type: 'refresh_token',
        ...extra,
      },
      this.key.keyPem,
      this.header,
    );
  }

  /** An access token carrying `access` for `identity`. */
  accessToken(identity: string, access: AccessEntry[]): string {
    const now = this.nowSeconds();
    return signJwt(
      {
        ...timeClaims(now, this.lifetimes.access ?? 4_500),
        sub: identity,
        iss: ACR_ISSUER,
        aud: this.loginServer,
        version: '1.0',
        grant_type: 'access_token',
        access,
      },
      this.key.keyPem,
      this.header,
    );
  }

  /** Verifies one of our tokens of `kind`; returns its claims or throws JwtError. */
  verify(token: string, kind: 'refresh_token' | 'access_token'): JwtClaims {
    const claims = verifyJwt(token, this.publicKey, {
      audience: this.loginServer,
      issuer: ACR_ISSUER,
      nowSeconds: this.nowSeconds(),
    });
    if (claims.grant_type !== kind) throw new Error(`token is not an ACR ${kind.replace('_', ' ')}`);
    return claims;
  }
}
