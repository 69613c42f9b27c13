/**
 * Azure sign-in for the explorer. VS Code's own Microsoft sign-in (`vscode.authentication`, the
 * `microsoft` provider, or `microsoft-sovereign-cloud` for China / US Government) becomes an
 * `@azure/core-auth` TokenCredential, which the core turns into ACR credentials (AAD → ACR refresh
 * token → access tokens per scope). The "Custom" cloud (Azure Stack, or the local rig's Entra stand-in)
 * signs in with a service principal against the configured authority host; its secret is kept in
 * SecretStorage.
 */
import * as vscode from 'vscode';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential } from '@azure/identity';
import type { AzureCloudName } from '@acrkit/core/acr/login-server';
import { resolveCloudEndpoints, type CloudEndpoints, type CloudSetting } from './model/azure/cloud-endpoints';
import { SignInRequiredError } from './model/error-kind';

export type { CloudEndpoints, CloudSetting };

const SOVEREIGN_ENVIRONMENT: Partial<Record<AzureCloudName, string>> = { AzureChinaCloud: 'ChinaCloud', AzureUSGovernment: 'USGovernment' };
const SP_SECRET_KEY = 'acrkit.azure.servicePrincipalSecret';

/** Reads the `acrkit.azure.*` settings. */
export function cloudEndpoints(config = vscode.workspace.getConfiguration('acrkit.azure')): CloudEndpoints {
  return resolveCloudEndpoints({
    cloud: config.get<string>('cloud', 'AzureCloud'),
    authorityHost: config.get<string>('authorityHost', ''),
    resourceManagerEndpoint: config.get<string>('resourceManagerEndpoint', ''),
  });
}

/** The signed-in Azure identity, whichever way it signed in. */
export class AzureAccount {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private servicePrincipal: TokenCredential | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  get tenantId(): string | undefined {
    return vscode.workspace.getConfiguration('acrkit.azure').get<string>('tenant') || undefined;
  }

  /** True when a token can be had without prompting. */
  async isSignedIn(): Promise<boolean> {
    try {
      await this.credential().getToken(cloudEndpoints().armScope);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Signs in interactively (VS Code account) or, for the Custom cloud, with a service principal whose
   * client id is `acrkit.azure.clientId` and whose secret is given once and kept in SecretStorage.
   */
  async signIn(servicePrincipalSecret?: string): Promise<void> {
    const cloud = cloudEndpoints();
    if (cloud.name === 'Custom') {
      if (servicePrincipalSecret) await this.secrets.store(SP_SECRET_KEY, servicePrincipalSecret);
      this.servicePrincipal = undefined;
    } else {
      await this.prepareSovereignCloud(cloud.name);
      await vscode.authentication.getSession(this.providerId(), this.scopes(cloud.armScope), { createIfNone: true });
    }
    this.changed.fire();
  }

  /** A TokenCredential over the current sign-in; getToken throws SignInRequiredError when there is none. */
  credential(tenantOverride?: string): TokenCredential {
    return {
      getToken: async (scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken | null> => {
        const list = Array.isArray(scopes) ? scopes : [scopes];
        if (cloudEndpoints().name === 'Custom') return (await this.servicePrincipalCredential()).getToken(list);
        const session = await vscode.authentication.getSession(this.providerId(), this.scopes(...list.map(toV2Scope)).concat(tenantScope(tenantOverride)), { silent: true });
        if (!session) throw new SignInRequiredError();
        return { token: session.accessToken, expiresOnTimestamp: jwtExpiry(session.accessToken) };
      },
    };
  }

  /** An ARM bearer token for a tenant (the configured one when undefined). */
  async armToken(tenantId?: string): Promise<string> {
    const token = await this.credential(tenantId).getToken(cloudEndpoints().armScope);
    if (!token) throw new SignInRequiredError();
    return token.token;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private async servicePrincipalCredential(): Promise<TokenCredential> {
    if (this.servicePrincipal) return this.servicePrincipal;
    const config = vscode.workspace.getConfiguration('acrkit.azure');
    const clientId = config.get<string>('clientId', '');
    const secret = await this.secrets.get(SP_SECRET_KEY);
    const authorityHost = cloudEndpoints().authorityHost;
    if (!clientId || !secret || !authorityHost || !this.tenantId) {
      throw new SignInRequiredError('The Custom cloud needs acrkit.azure.authorityHost, tenant and clientId settings and a sign-in with the client secret');
    }
    this.servicePrincipal = new ClientSecretCredential(this.tenantId, clientId, secret, { authorityHost, disableInstanceDiscovery: true });
    return this.servicePrincipal;
  }

  private providerId(): string {
    return cloudEndpoints().authProviderId ?? 'microsoft';
  }

  private scopes(...scopes: string[]): string[] {
    return [...scopes, ...tenantScope(this.tenantId)];
  }

  /** The sovereign provider reads its cloud from its own setting; keep it in step with ours. */
  private async prepareSovereignCloud(name: AzureCloudName): Promise<void> {
    const environment = SOVEREIGN_ENVIRONMENT[name];
    if (!environment) return;
    const config = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
    if (config.get<string>('environment') !== environment) await config.update('environment', environment, vscode.ConfigurationTarget.Global);
  }
}

function tenantScope(tenantId: string | undefined): string[] {
  return tenantId ? [`VSCODE_TENANT:${tenantId}`] : [];
}

/** VS Code's provider takes `<resource>/.default`; a bare resource URI gets the suffix. */
function toV2Scope(scope: string): string {
  return scope.endsWith('/.default') || scope.includes('/.default') ? scope : `${scope.replace(/\/+$/, '')}/.default`;
}

/** The `exp` of a JWT in ms, or one hour from now when it cannot be read. */
function jwtExpiry(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {}
  return Date.now() + 3600_000;
}
