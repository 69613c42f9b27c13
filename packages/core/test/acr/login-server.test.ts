import { describe, expect, it } from 'vitest';
import { cloudForLoginServer, getAzureCloud, isAcrLoginServer, registryNameFromLoginServer } from '../../src/acr/login-server';

describe('ACR login servers', () => {
  it.each([
    ['myregistry.azurecr.io', 'AzureCloud'],
    ['MyRegistry.AzureCR.io', 'AzureCloud'],
    ['https://myregistry.azurecr.io/', 'AzureCloud'],
    ['myregistry.azurecr.io:443', 'AzureCloud'],
    ['myreg-abc123.azurecr.io', 'AzureCloud'],
    ['chinareg.azurecr.cn', 'AzureChinaCloud'],
    ['govreg.azurecr.us', 'AzureUSGovernment'],
  ])('%s is in %s', (host, cloud) => {
    expect(isAcrLoginServer(host)).toBe(true);
    expect(cloudForLoginServer(host)?.name).toBe(cloud);
  });

  it.each(['127.0.0.1:5443', 'ghcr.io', 'myreg.westeurope.data.azurecr.io', 'azurecr.io', 'evil.azurecr.io.example.com', 'acrapi.azurecr-test.io', 'myreg.azurecr.io:5000'])(
    '%s is not an ACR login server',
    (host) => {
      expect(isAcrLoginServer(host)).toBe(false);
      expect(cloudForLoginServer(host)).toBeUndefined();
    },
  );

  it('gives the registry name, authority and audiences', () => {
    expect(registryNameFromLoginServer('myreg.azurecr.io')).toBe('myreg');
    expect(registryNameFromLoginServer('ghcr.io')).toBeUndefined();
    const gov = getAzureCloud('AzureUSGovernment');
    expect(gov).toMatchObject({ authorityHost: 'https://login.microsoftonline.us', resourceManagerEndpoint: 'https://management.usgovcloudapi.net' });
    expect(cloudForLoginServer('x.azurecr.cn')?.authorityHost).toBe('https://login.chinacloudapi.cn');
    expect(() => getAzureCloud('AzureGermanCloud')).toThrow(/unknown Azure cloud "AzureGermanCloud": expected one of AzureCloud/);
  });
});
