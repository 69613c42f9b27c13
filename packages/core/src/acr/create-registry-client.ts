/**
 * Picks the RegistryClient backend: ACR's `/acr/v1` metadata API for ACR login servers, the plain
 * distribution API elsewhere. Both share one auth-aware transport built from `credentials`.
 */
import { createRegistryTransport } from '../auth/registry-transport';
import type { CredentialFunc } from '../auth/credential';
import type { Transport } from '../http/transport';
import type { Logger } from '../log';
import { DistributionRegistryClient } from '../registry/distribution-registry-client';
import type { RegistryClient } from '../registry/registry-client';
import { AcrRegistryClient } from './acr-registry-client';
import { isAcrLoginServer } from './login-server';

export type RegistryBackend = 'auto' | 'acr' | 'distribution';

export interface CreateRegistryClientOptions {
  /** Registry host with optional port: `myreg.azurecr.io`, `127.0.0.1:5443`. */
  loginServer: string;
  /** Credentials per host (admin user, repository token, `createEntraCredentials(...)`, anonymous). */
  credentials: CredentialFunc;
  /**
   * 'acr' uses `/acr/v1` (times, sizes, locks, newest first); 'distribution' the plain /v2 API.
   * If undefined or 'auto': 'acr' for ACR login servers (`*.azurecr.io|cn|us`), else 'distribution'.
   * A local ACR stand-in (`127.0.0.1:PORT`) needs 'acr' explicitly.
   */
  backend?: RegistryBackend;
  /** If undefined, silent. */
  logger?: Logger;
  /** The transport; if undefined, `createRegistryTransport({ credentials, logger, userAgent })`. */
  transport?: Transport;
  /** Product token for the User-Agent (`acrkit-action/1.0.0`). */
  userAgent?: string;
  /** Plain http for the distribution backend (loopback test registries only). If undefined, false. */
  insecure?: boolean;
}

/** The backend `createRegistryClient` would choose for `loginServer` and `backend`. */
export function chooseBackend(loginServer: string, backend: RegistryBackend = 'auto'): 'acr' | 'distribution' {
  if (backend === 'acr' || backend === 'distribution') return backend;
  if (backend !== 'auto') throw new Error(`invalid backend "${String(backend)}": expected auto, acr or distribution`);
  return isAcrLoginServer(loginServer) ? 'acr' : 'distribution';
}

/** Creates the RegistryClient for `options.loginServer`; no request is sent until a call. */
export function createRegistryClient(options: CreateRegistryClientOptions): RegistryClient {
  const loginServer = options.loginServer.trim().toLowerCase();
  if (!loginServer || /[/\s]/.test(loginServer)) {
    throw new Error(`invalid loginServer "${options.loginServer}": expected host[:port] without scheme or path`);
  }
  const backend = chooseBackend(loginServer, options.backend);
  if (backend === 'acr' && options.insecure) throw new Error('the acr backend needs https: insecure applies to the distribution backend only');
  const transport =
    options.transport ?? createRegistryTransport({ credentials: options.credentials, logger: options.logger, userAgent: options.userAgent });
  return backend === 'acr'
    ? new AcrRegistryClient({ loginServer, transport, logger: options.logger })
    : new DistributionRegistryClient({ loginServer, transport, insecure: options.insecure });
}
