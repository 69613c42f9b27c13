/** Which core credential function serves a registry: Entra (the Azure sign-in), Basic, or anonymous. */
import type { CredentialFunc } from '@acrkit/core/auth/credential';
import type { Logger } from '@acrkit/core/log';
import { createEntraCredentials } from '@acrkit/core/acr/entra-credential';
import type { AzureAccount } from './auth';
import type { CredentialsFor } from './clients';
import type { RegistryEntry } from './model/registry-entry';
import type { ManualRegistryStore } from './registry-store';

export function createRegistryCredentials(azure: AzureAccount, registries: ManualRegistryStore, logger: Logger): CredentialsFor {
  return (entry: RegistryEntry): CredentialFunc => {
    switch (entry.auth) {
      case 'entra':
        // loginServers: a hand-added registry may be an ACR behind a custom domain (or the local rig).
        return createEntraCredentials(azure.credential(entry.azure?.tenantId), {
          tenantId: entry.azure?.tenantId ?? azure.tenantId,
          loginServers: [entry.loginServer],
          logger,
        });
      case 'basic':
        // Any host: Docker Hub and others take the Basic credentials at a token realm on another host.
        return async () => ({ username: entry.username, password: await registries.password(entry) });
      case 'anonymous':
        return async () => undefined;
    }
  };
}
