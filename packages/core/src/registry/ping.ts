/**
 * `GET /v2/`: is this a distribution registry, and do our credentials work? Through the auth
 * transport a 401 is answered with a token fetch, so a 200 here means "reachable and logged in".
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#determining-support
 */
import { discardBody } from '../http/discard-body';
import { expectStatus } from '../http/registry-error';
import type { Transport } from '../http/transport';
import { checkHost } from '../ref/grammar';
import { RegistryInputError } from './registry-input-error';

export interface PingOptions {
  transport: Transport;
  /** Registry host with optional port. */
  registry: string;
  /** Plain http (loopback test registries only). If undefined, false. */
  insecure?: boolean;
  signal?: AbortSignal;
}

/** Resolves when the registry answers `GET /v2/` with 200; throws a RegistryError otherwise. */
export async function pingRegistry(options: PingOptions): Promise<void> {
  const problem = checkHost(options.registry);
  if (problem) throw new RegistryInputError('registry', options.registry, problem);
  const request = { method: 'GET', url: `${options.insecure ? 'http' : 'https'}://${options.registry}/v2/`, signal: options.signal };
  const response = await options.transport(request);
  await expectStatus(response, request, 200);
  await discardBody(response);
}
