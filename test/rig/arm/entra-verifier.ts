/**
 * Verifies ARM bearer tokens the way ARM does: an Entra access token signed by a key of the tenant's
 * JWKS (from its OpenID discovery document), issued by the tenant, for the ARM audience.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { JwtError, decodeJwt, verifyJwt } from '../jwt';

export interface EntraTenant {
  /** `https://127.0.0.1:<port>` of the rig's Entra stand-in. */
  authorityHost: string;
  tenantId: string;
}

/** Fetches the tenant's signing keys and returns a verifier for tokens whose `aud` is one of `audiences`. */
export async function createEntraVerifier(tenant: EntraTenant, audiences: string[]): Promise<(token: string) => void> {
  const discovery = (await (await fetch(`${tenant.authorityHost}/${tenant.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Array<JsonWebKey & { kid?: string }> };
  const keys = new Map<string | undefined, KeyObject>(jwks.keys.map((k) => [k.kid, createPublicKey({ key: k, format: 'jwk' })]));
  return (token) => {
    const { header, claims } = decodeJwt(token);
    const key = keys.get(header.kid as string | undefined) ?? (keys.size === 1 ? [...keys.values()][0] : undefined);
    if (!key) throw new JwtError('JWT key id is not in the tenant JWKS');
    verifyJwt(token, key, { audience: audiences });
    if (claims.tid !== undefined && claims.tid !== tenant.tenantId) throw new JwtError('JWT tenant is not accepted');
  };
}
