/**
 * The `acrkit.azure.cloud` setting resolved to the endpoints the extension uses. Pure (no `vscode`),
 * so a unit test can hold it against the core's AZURE_CLOUDS and the two cannot drift.
 */
import { AZURE_CLOUDS, type AzureCloudName } from '@acrkit/core/acr/login-server';

export type CloudSetting = AzureCloudName | 'Custom';

/** The endpoints of the configured cloud. */
export interface CloudEndpoints {
  name: CloudSetting;
  /** VS Code authentication provider: `microsoft`, or `microsoft-sovereign-cloud` for China / US Government. */
  authProviderId: 'microsoft' | 'microsoft-sovereign-cloud' | undefined;
  authorityHost: string;
  resourceManagerEndpoint: string;
  /** `<ARM audience>/.default`, the scope of an ARM token. */
  armScope: string;
  /** Login-server suffix (`.azurecr.io`); undefined for Custom, whose registries may live anywhere. */
  loginServerSuffix: string | undefined;
  portal: string;
}

/** The `acrkit.azure.*` settings this module reads. */
export interface CloudSettings {
  cloud?: string;
  authorityHost?: string;
  resourceManagerEndpoint?: string;
}

const PORTALS: Record<AzureCloudName, string> = {
  AzureCloud: 'https://portal.azure.com',
  AzureChinaCloud: 'https://portal.azure.cn',
  AzureUSGovernment: 'https://portal.azure.us',
};

/** Resolves the settings; an unknown cloud name falls back to AzureCloud (the setting's default). */
export function resolveCloudEndpoints(settings: CloudSettings): CloudEndpoints {
  if (settings.cloud === 'Custom') {
    const authorityHost = (settings.authorityHost ?? '').replace(/\/+$/, '');
    const resourceManagerEndpoint = (settings.resourceManagerEndpoint ?? '').replace(/\/+$/, '');
    return {
      name: 'Custom',
      authProviderId: undefined, // Custom signs in with a service principal, not a VS Code account.
      authorityHost,
      resourceManagerEndpoint,
      armScope: `${resourceManagerEndpoint}/.default`,
      loginServerSuffix: undefined,
      portal: resourceManagerEndpoint.replace('management.', 'portal.'),
    };
  }
  const cloud = (AZURE_CLOUDS as Record<string, (typeof AZURE_CLOUDS)[AzureCloudName] | undefined>)[settings.cloud ?? ''] ?? AZURE_CLOUDS.AzureCloud;
  return {
    name: cloud.name,
    authProviderId: cloud.name === 'AzureCloud' ? 'microsoft' : 'microsoft-sovereign-cloud',
    authorityHost: cloud.authorityHost,
    resourceManagerEndpoint: cloud.resourceManagerEndpoint,
    armScope: `${cloud.resourceManagerAudience}/.default`,
    loginServerSuffix: cloud.loginServerSuffix,
    portal: PORTALS[cloud.name],
  };
}
