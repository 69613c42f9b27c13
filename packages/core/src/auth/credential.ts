/**
 * What a registry host is reached with. Every field is optional; an empty object or `undefined`
 * means anonymous. Maps one-to-one onto ACR's refresh/access tokens (see oras-go `auth.Credential`).
 */
export interface Credential {
  /** Basic user: a registry user, an ACR admin user, an ACR repository-scoped token name, or the null GUID. */
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (ACR refresh token), exchanged at the token realm with POST grant_type=refresh_token. */
  refreshToken?: string;
  /** A ready bearer token, used as is. */
  accessToken?: string;
}

/** The username ACR expects when the password is an ACR refresh token. */
export const ACR_TOKEN_USERNAME = '00000000-0000-0000-0000-000000000000';

/**
 * Returns the credential for a registry host (`myreg.azurecr.io`, `127.0.0.1:5000`), or undefined for
 * anonymous. Called whenever a token is needed, so providers may refresh what they return.
 */
export type CredentialFunc = (host: string, options?: { signal?: AbortSignal }) => Promise<Credential | undefined>;

/** A CredentialFunc that answers the same credential for every host. */
export function staticCredential(credential: Credential | undefined): CredentialFunc {
  return async () => credential;
}
