/**
 * Registry credentials from the inputs, shared by login, push and tag: a username/password, or an
 * Entra identity turned into ACR refresh tokens (re-exchanged before they expire) by the core.
 */
import { createEntraCredentials } from '@acrkit/core/acr/entra-credential';
import { ACR_TOKEN_USERNAME, staticCredential, type CredentialFunc } from '@acrkit/core/auth/credential';
import type { Logger } from '@acrkit/core/log';
import { createAzureCredential, describeIdentity, type CredentialHost } from './azure-credential';
import type { Inputs } from './inputs';

export interface RegistryLogin {
  /** What the auth layer calls per host. */
  credentials: CredentialFunc;
  /** For the Docker config: the user, and the secret (password or ACR refresh token) fetched now. */
  dockerCredential(signal?: AbortSignal): Promise<{ username: string; secret: string }>;
  /** Who logs in, without secrets, for messages. */
  identity: string;
}

export interface RegistryLoginHost extends CredentialHost {
  mask(secret: string): void;
  logger: Logger;
}

/** Builds the credentials for `inputs.registry`. Secrets it derives are masked before use. */
export function registryLogin(inputs: Inputs, host: RegistryLoginHost): RegistryLogin {
  const identity = describeIdentity(inputs);
  if (inputs.auth === 'password') {
    return {
      credentials: staticCredential({ username: inputs.username, password: inputs.password }),
      dockerCredential: async () => ({ username: inputs.username, secret: inputs.password }),
      identity,
    };
  }
  const entra = createEntraCredentials(createAzureCredential(inputs, host), {
    // The user named this registry for this identity, so it gets the Entra token even when it is not
    // an *.azurecr.io host (a private endpoint alias, Azure Stack, the local rig).
    loginServers: [inputs.registry],
    tenantId: inputs.tenantId || undefined,
    logger: host.logger,
  });
  const refreshToken = async (signal?: AbortSignal): Promise<string> => {
    const token = await entra.refreshToken(inputs.registry, { signal });
    host.mask(token);
    return token;
  };
  return {
    credentials: async (h, options) => (h === inputs.registry
      ? { username: ACR_TOKEN_USERNAME, refreshToken: await refreshToken(options?.signal) }
      : undefined),
    dockerCredential: async (signal) => ({ username: ACR_TOKEN_USERNAME, secret: await refreshToken(signal) }),
    identity,
  };
}
