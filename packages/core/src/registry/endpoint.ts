/**
 * Where one repository lives and how to reach it: the base URL, the transport, the token scopes for
 * each kind of call, and checked references. Every data-plane call in `registry/` starts here.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#endpoints
 */
import type { Transport } from '../http/transport';
import { silentLogger, type Logger } from '../log';
import { parseDigest } from '../oci/digest';
import { checkHost, checkRepositoryPath } from '../ref/grammar';
import { describeInvalidTag } from '../ref/tag';
import { RegistryInputError } from './registry-input-error';
import { RegistryProtocolError } from './registry-protocol-error';

/** The options that name one repository on one registry. */
export interface RepositoryOptions {
  /** Usually `createRegistryTransport({ credentials })` from `auth/registry-transport`. */
  transport: Transport;
  /** Registry host with optional port: `myreg.azurecr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path: `team/app`. */
  repository: string;
  /**
   * Talk plain http instead of https. Only for a registry the caller names explicitly (a loopback
   * test registry); there is no automatic fallback to http. If undefined, false.
   */
  insecure?: boolean;
  /** If undefined, silent. */
  logger?: Logger;
  /**
   * Transport for blob downloads redirected to another host (ACR sends a 307 to Azure Storage with a SAS
   * URL). It must not add registry credentials. If undefined, `transport`, called without scopes.
   */
  redirectTransport?: Transport;
}

/** A checked RepositoryOptions with the derived URLs and scopes. */
export interface Endpoint {
  readonly transport: Transport;
  readonly redirectTransport: Transport;
  readonly registry: string;
  readonly repository: string;
  /** `https://host[:port]` (or `http://` when insecure). */
  readonly origin: string;
  /** `<origin>/v2/<repository>`. */
  readonly base: string;
  readonly logger: Logger;
  readonly scopes: { pull: string[]; push: string[]; delete: string[] };
}

/** Checks the options and derives URLs and scopes; bad input gets a RegistryInputError naming it. */
export function createEndpoint(options: RepositoryOptions): Endpoint {
  const hostProblem = checkHost(options.registry);
  if (hostProblem) throw new RegistryInputError('registry', options.registry, `${hostProblem} (expected host[:port], no scheme or path)`);
  const repoProblem = checkRepositoryPath(options.repository);
  if (repoProblem) throw new RegistryInputError('repository', options.repository, repoProblem);
  const origin = `${options.insecure ? 'http' : 'https'}://${options.registry}`;
  const name = options.repository;
  return {
    transport: options.transport,
    redirectTransport: options.redirectTransport ?? options.transport,
    registry: options.registry,
    repository: name,
    origin,
    base: `${origin}/v2/${name}`,
    logger: options.logger ?? silentLogger,
    scopes: {
      pull: [`repository:${name}:pull`],
      push: [`repository:${name}:pull,push`],
      delete: [`repository:${name}:delete`],
    },
  };
}

/** `registry/repository` for messages. */
export function describeEndpoint(endpoint: Endpoint, reference?: string): string {
  const name = `${endpoint.registry}/${endpoint.repository}`;
  if (reference === undefined) return name;
  return reference.includes(':') ? `${name}@${reference}` : `${name}:${reference}`;
}

/** Checks a tag-or-digest reference for a manifest URL (`v1`, `sha256:...`). */
export function checkManifestReference(reference: string): string {
  if (reference.includes(':')) return checkDigest(reference);
  const problem = describeInvalidTag(reference);
  if (problem) throw new RegistryInputError('tag', reference, problem);
  return reference;
}

/** Checks a digest, returning it; a RegistryInputError quotes the input otherwise. */
export function checkDigest(digest: string): string {
  try {
    parseDigest(digest);
    return digest;
  } catch (err) {
    throw new RegistryInputError('digest', digest, (err as Error).message, err);
  }
}

/**
 * Resolves a `Location` header against the URL it came from: Distribution sends absolute URLs
 * unless `relativeurls` is set, ACR sends relative ones (acr-wire.md §3, §3.1).
 */
export function resolveLocation(location: string | null, requestUrl: string, what: string): string {
  if (!location) throw new RegistryProtocolError('missing-location', `${what}: the registry sent no Location header`);
  return new URL(location, requestUrl).toString();
}
