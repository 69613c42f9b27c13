/**
 * Compact JWS (RS256) signing and verification with Node's crypto. Enough for the rig's tokens:
 * registry access tokens (with the `x5c` header Distribution needs), ACR refresh tokens, Entra access
 * tokens and GitHub-OIDC-shaped ID tokens.
 * Reference: RFC 7515 (JWS), RFC 7519 (JWT); Distribution token spec docs/spec/auth/jwt.md.
 */
import { X509Certificate, createPublicKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/** Claims are plain JSON. */
export type JwtClaims = Record<string, unknown>;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs `claims` with an RSA private key; `header` adds fields such as `x5c` or `kid`. */
export function signJwt(claims: JwtClaims, privateKeyPem: string | KeyObject, header: JwtClaims = {}): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', ...header }));
  const body = b64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKeyPem);
  return `${head}.${body}.${b64url(signature)}`;
}

/** The `x5c` header value for a PEM certificate: the base64 (not base64url) DER. */
export function x5cHeader(certPem: string): { x5c: string[] } {
  return { x5c: [new X509Certificate(certPem).raw.toString('base64')] };
}

/** Why a token was refused; never includes the token itself. */
export class JwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

/** Reads the claims of a JWT without checking it (for tokens whose signature is checked elsewhere). */
export function decodeJwt(token: string): { header: JwtClaims; claims: JwtClaims } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('token is not a JWT (expected three dot-separated parts)');
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as JwtClaims,
      claims: JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtClaims,
    };
  } catch {
    throw new JwtError('token is not a JWT (header or payload is not base64url JSON)');
  }
}

/** What a verified token must satisfy besides its signature. */
export interface VerifyOptions {
  /** Accepted `aud` values; undefined accepts any. */
  audience?: string | string[];
  /** Required `iss`; undefined accepts any. */
  issuer?: string;
  /** Clock in seconds since the epoch; undefined means now. */
  nowSeconds?: number;
}

/** Verifies signature (RS256 only), `exp`, `nbf`, `aud` and `iss`; returns the claims or throws JwtError. */
export function verifyJwt(token: string, publicKey: string | KeyObject, options: VerifyOptions = {}): JwtClaims {
  const { header, claims } = decodeJwt(token);
  if (header.alg !== 'RS256') throw new JwtError(`unsupported JWT alg ${String(header.alg)} (expected RS256)`);
  const [head, body, sig] = token.split('.') as [string, string, string];
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  if (!verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key, Buffer.from(sig, 'base64url'))) {
    throw new JwtError('JWT signature is invalid');
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new JwtError('JWT has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > now + 60) throw new JwtError('JWT is not valid yet');
  if (options.issuer !== undefined && claims.iss !== options.issuer) throw new JwtError('JWT issuer is not accepted');
  if (options.audience !== undefined) {
    const wanted = [options.audience].flat();
    const got = [claims.aud].flat();
    if (!got.some((a) => typeof a === 'string' && wanted.includes(a))) throw new JwtError('JWT audience is not accepted');
  }
  return claims;
}

/** Standard time and id claims for a token living `lifetimeSeconds` from `nowSeconds`. */
export function timeClaims(nowSeconds: number, lifetimeSeconds: number): JwtClaims {
  return { jti: randomUUID(), iat: nowSeconds, nbf: nowSeconds - 5, exp: nowSeconds + lifetimeSeconds };
}
