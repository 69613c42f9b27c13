/**
 * `POST /oauth2/exchange`: trades an Entra ID (AAD) access token for an ACR refresh token.
 *
 * Reference: https://github.com/Azure/acr/blob/main/docs/AAD-OAuth.md ("Getting an ACR refresh token");
 * ../shared/notes/acr-wire.md §1.2 (form fields, `?api-version` accepted, JWT refresh tokens with `exp`).
 */
import { jwtExpiry } from '../auth/jwt';
import { RegistryError } from '../http/registry-error';
import type { Transport } from '../http/transport';

export interface ExchangeRequest {
  /** Login server (`myreg.azurecr.io`, `127.0.0.1:5443`); the exchange goes to `https://<loginServer>`. */
  loginServer: string;
  /** The Entra access token. Never logged, never put in an error. */
  aadToken: string;
  /** Sent as `tenant` when set (az CLI does; the SDKs don't). */
  tenantId?: string;
  signal?: AbortSignal;
}

/** Refresh tokens are JWTs; only `exp` matters to us (ACR's last about 3 h). */
export interface AcrRefreshToken {
  token: string;
  /** `exp` in ms since the epoch; undefined when the token carries none. */
  expiresAt?: number;
}

/**
 * Exchanges `aadToken` for an ACR refresh token over `transport` (a plain transport: the exchange
 * endpoint takes no Authorization). A refusal throws a RegistryError with the token masked.
 */
export async function exchangeAadToken(transport: Transport, request: ExchangeRequest): Promise<AcrRefreshToken> {
  const form = new URLSearchParams({ grant_type: 'access_token', service: request.loginServer });
  if (request.tenantId) form.set('tenant', request.tenantId);
  form.set('access_token', request.aadToken);
  const http = {
    method: 'POST',
    url: `https://${request.loginServer}/oauth2/exchange`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    signal: request.signal,
  };
  const response = await transport(http);
  if (response.status !== 200) {
    throw await RegistryError.fromResponse(response, http, {
      context: `exchanging an Entra token for an ACR refresh token at ${request.loginServer}`,
      secrets: [request.aadToken],
    });
  }
  let token: unknown;
  try {
    token = ((await response.json()) as { refresh_token?: unknown } | null)?.refresh_token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') {
    throw new Error(`exchanging an Entra token at ${request.loginServer}: the answer has no "refresh_token"`);
  }
  return { token, expiresAt: jwtExpiry(token) };
}
