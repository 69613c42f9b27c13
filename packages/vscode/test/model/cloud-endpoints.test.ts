import { describe, expect, it } from 'vitest';
import { AZURE_CLOUDS, cloudForLoginServer } from '@acrkit/core/acr/login-server';
import { resolveCloudEndpoints } from '../../src/model/azure/cloud-endpoints';

describe('sovereign cloud setting', () => {
  it.each([
    ['AzureCloud', 'microsoft', 'https://portal.azure.com', 'myreg.azurecr.io'],
    ['AzureChinaCloud', 'microsoft-sovereign-cloud', 'https://portal.azure.cn', 'myreg.azurecr.cn'],
    ['AzureUSGovernment', 'microsoft-sovereign-cloud', 'https://portal.azure.us', 'myreg.azurecr.us'],
  ] as const)('%s uses the core AZURE_CLOUDS values', (name, provider, portal, loginServer) => {
    const core = AZURE_CLOUDS[name];
    const got = resolveCloudEndpoints({ cloud: name, authorityHost: 'https://ignored.example', resourceManagerEndpoint: 'https://ignored.example' });
    expect(got).toEqual({
      name,
      authProviderId: provider,
      authorityHost: core.authorityHost,
      resourceManagerEndpoint: core.resourceManagerEndpoint,
      armScope: `${core.resourceManagerAudience}/.default`,
      loginServerSuffix: core.loginServerSuffix,
      portal,
    });
    expect(cloudForLoginServer(loginServer)?.name).toBe(name);
    expect(loginServer.endsWith(got.loginServerSuffix!)).toBe(true);
  });

  it('covers every cloud the core knows, each with distinct endpoints', () => {
    const resolved = Object.keys(AZURE_CLOUDS).map((cloud) => resolveCloudEndpoints({ cloud }));
    expect(resolved.map((r) => r.name)).toEqual(Object.keys(AZURE_CLOUDS));
    for (const key of ['authorityHost', 'resourceManagerEndpoint', 'armScope', 'loginServerSuffix', 'portal'] as const) {
      expect(new Set(resolved.map((r) => r[key])).size).toBe(resolved.length);
    }
  });

  it('Custom takes authorityHost and resourceManagerEndpoint from the settings', () => {
    const got = resolveCloudEndpoints({ cloud: 'Custom', authorityHost: 'https://login.local.azurestack.external/', resourceManagerEndpoint: 'https://management.local.azurestack.external//' });
    expect(got).toEqual({
      name: 'Custom',
      authProviderId: undefined,
      authorityHost: 'https://login.local.azurestack.external',
      resourceManagerEndpoint: 'https://management.local.azurestack.external',
      armScope: 'https://management.local.azurestack.external/.default',
      loginServerSuffix: undefined,
      portal: 'https://portal.local.azurestack.external',
    });
  });

  it('an unset or unknown cloud falls back to AzureCloud', () => {
    expect(resolveCloudEndpoints({}).resourceManagerEndpoint).toBe(AZURE_CLOUDS.AzureCloud.resourceManagerEndpoint);
    expect(resolveCloudEndpoints({ cloud: 'Mars' }).authProviderId).toBe('microsoft');
  });
});
