/**
 * Which hosts are Azure Container Registry login servers, and which Azure cloud each belongs to:
 * its Entra authority, its Resource Manager endpoint and the token audiences ACR accepts.
 *
 * Reference: https://learn.microsoft.com/azure/container-registry/container-registry-get-started-azure-cli
 * (login server `<name>.azurecr.io`), `KnownContainerRegistryAudience` in `@azure/container-registry`,
 * and `@azure/identity`'s `AzureAuthorityHosts`.
 */

/** The clouds acrkit knows, spelled as `az cloud list` spells them. */
export type AzureCloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment';

export interface AzureCloud {
  name: AzureCloudName;
  /** Entra ID authority host, for `@azure/identity`'s `authorityHost` option. */
  authorityHost: string;
  /** Azure Resource Manager endpoint (ACR Tasks live there). */
  resourceManagerEndpoint: string;
  /** ARM audience; `<audience>/.default` is the scope of an ARM token. ACR accepts it while `azureADAuthenticationAsArmPolicy` is enabled. */
  resourceManagerAudience: string;
  /**
   * ACR's own audience. For the sovereign clouds the value is what third-party tools use
   * (not stated in Microsoft's docs), which is why the Entra credential falls back to the ARM audience.
   */
  containerRegistryAudience: string;
  /** Login servers in this cloud end with this suffix (leading dot included). */
  loginServerSuffix: string;
}

export const AZURE_CLOUDS: Readonly<Record<AzureCloudName, AzureCloud>> = {
  AzureCloud: {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    resourceManagerEndpoint: 'https://management.azure.com',
    resourceManagerAudience: 'https://management.azure.com',
    containerRegistryAudience: 'https://containerregistry.azure.net',
    loginServerSuffix: '.azurecr.io',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    resourceManagerAudience: 'https://management.chinacloudapi.cn',
    containerRegistryAudience: 'https://containerregistry.azure.cn',
    loginServerSuffix: '.azurecr.cn',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    resourceManagerAudience: 'https://management.usgovcloudapi.net',
    containerRegistryAudience: 'https://containerregistry.azure.us',
    loginServerSuffix: '.azurecr.us',
  },
};

// One DNS label before the suffix: registry names are 5-50 alphanumerics, optionally followed by a
// `-<hash>` domain-name-label suffix. Data endpoints (`<name>.<region>.data.azurecr.io`) have more
// labels and are not login servers.
const LOGIN_SERVER = /^([a-z0-9][a-z0-9-]{0,62})(\.azurecr\.(?:io|cn|us))(?::443)?$/;

/** Lower-cases a host and drops a scheme or trailing path someone pasted (`https://x.azurecr.io/`). */
function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** The cloud whose login-server suffix `host` carries, or undefined when `host` is not an ACR login server. */
export function cloudForLoginServer(host: string): AzureCloud | undefined {
  const match = LOGIN_SERVER.exec(normalizeHost(host));
  if (!match) return undefined;
  return Object.values(AZURE_CLOUDS).find((cloud) => cloud.loginServerSuffix === match[2]);
}

/** Whether `host` (with or without scheme, `:443` allowed) is an ACR login server in a known cloud. */
export function isAcrLoginServer(host: string): boolean {
  return cloudForLoginServer(host) !== undefined;
}

/** The registry (resource) name of an ACR login server: `myreg` for `myreg.azurecr.io`; undefined otherwise. */
export function registryNameFromLoginServer(host: string): string | undefined {
  const match = LOGIN_SERVER.exec(normalizeHost(host));
  return match ? match[1] : undefined;
}

/** The cloud by name (as `az cloud show` prints it); throws for an unknown name, listing the known ones. */
export function getAzureCloud(name: string): AzureCloud {
  const cloud = (AZURE_CLOUDS as Record<string, AzureCloud>)[name];
  if (!cloud) {
    throw new Error(`unknown Azure cloud "${name}": expected one of ${Object.keys(AZURE_CLOUDS).join(', ')}`);
  }
  return cloud;
}
