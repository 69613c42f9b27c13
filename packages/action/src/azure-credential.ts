/**
 * The Entra ID credential the inputs ask for, from `@azure/identity`: GitHub OIDC (federated client
 * assertion, a fresh GitHub ID token each time one is needed, so long jobs do not hit AADSTS700024),
 * client secret, managed identity, or the default chain (an Azure login done earlier in the job).
 */
import {
  ClientAssertionCredential, ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { getAzureCloud } from '@acrkit/core/acr/login-server';
import type { Inputs } from './inputs';

export interface CredentialHost {
  /** Asks the runner for a GitHub ID token for `audience` (core.getIDToken; it masks the token). */
  getIdToken(audience: string): Promise<string>;
}

/** The authority host and whether instance discovery must be skipped (custom hosts: Azure Stack, tests). */
function authority(inputs: Inputs): { authorityHost: string; disableInstanceDiscovery: boolean } {
  if (inputs.authorityHost) return { authorityHost: inputs.authorityHost, disableInstanceDiscovery: true };
  return { authorityHost: getAzureCloud(inputs.environment).authorityHost, disableInstanceDiscovery: false };
}

/** Creates the TokenCredential for `inputs.auth` (any auth but `password`). */
export function createAzureCredential(inputs: Inputs, host: CredentialHost): TokenCredential {
  const options = authority(inputs);
  switch (inputs.auth) {
    case 'oidc':
      // The callback runs whenever MSAL needs a new assertion: GitHub ID tokens live about 5-10 minutes.
      return new ClientAssertionCredential(inputs.tenantId, inputs.clientId, () => host.getIdToken(inputs.audience), options);
    case 'client-secret':
      return new ClientSecretCredential(inputs.tenantId, inputs.clientId, inputs.clientSecret, options);
    case 'managed-identity':
      return inputs.clientId ? new ManagedIdentityCredential({ clientId: inputs.clientId }) : new ManagedIdentityCredential();
    case 'default':
      return new DefaultAzureCredential({ ...options, ...(inputs.tenantId && { tenantId: inputs.tenantId }) });
    case 'password':
      throw new Error('auth-type password does not use an Entra credential');
  }
}

/** A non-secret description of who logs in, for messages ("service principal 1234…"). */
export function describeIdentity(inputs: Inputs): string {
  switch (inputs.auth) {
    case 'oidc': return `GitHub OIDC federated identity (client-id ${inputs.clientId})`;
    case 'client-secret': return `service principal (client-id ${inputs.clientId})`;
    case 'managed-identity': return inputs.clientId ? `managed identity (client-id ${inputs.clientId})` : 'system-assigned managed identity';
    case 'default': return 'the Azure default credential chain (az login, environment, managed identity)';
    case 'password': return `user "${inputs.username}"`;
  }
}
