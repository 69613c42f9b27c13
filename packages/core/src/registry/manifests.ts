/**
 * Manifest calls on one repository: HEAD (resolve), GET, PUT and DELETE, with media-type
 * negotiation and digest checks on everything that crosses the wire.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-manifests
 */
import { discardBody } from '../http/discard-body';
import { expectStatus } from '../http/registry-error';
import { computeDigest, DigestMismatchError } from '../oci/digest';
import { MANIFEST_MAX_BYTES } from '../oci/manifest';
import { baseMediaType, MANIFEST_ACCEPT, MediaType } from '../oci/media-types';
import type { Descriptor } from '../oci/types';
import { checkDigest, checkManifestReference, describeEndpoint, type Endpoint } from './endpoint';
import { getBodyCapped } from './read-body';

export interface CallOptions {
  signal?: AbortSignal;
}

/** Manifest bytes exactly as the registry stored them, and their descriptor. */
export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
}

/**
 * HEADs a manifest by tag or digest and returns its descriptor. A registry that omits
 * `Docker-Content-Digest` on HEAD (the spec makes it optional) costs one GET instead, and so does a
 * 404: a HEAD response has no body, and the GET's error carries the registry's code
 * (`MANIFEST_UNKNOWN`, `NAME_UNKNOWN`) for a clear message.
 */
export async function resolveManifest(endpoint: Endpoint, reference: string, options: CallOptions = {}): Promise<Descriptor> {
  return (await tryResolveManifest(endpoint, reference, options)) ?? (await fetchManifest(endpoint, reference, options)).descriptor;
}

/** Like {@link resolveManifest}, but undefined when the registry answers 404 (one HEAD, no GET). */
export async function tryResolveManifest(endpoint: Endpoint, reference: string, options: CallOptions = {}): Promise<Descriptor | undefined> {
  const request = manifestRequest(endpoint, 'HEAD', reference, options);
  const response = await endpoint.transport(request);
  await discardBody(response);
  if (response.status === 404) return undefined;
  await expectStatus(response, request, 200);
  const digest = response.headers.get('docker-content-digest');
  const size = Number(response.headers.get('content-length') ?? NaN);
  const mediaType = baseMediaType(response.headers.get('content-type') ?? '');
  if (!digest || !Number.isSafeInteger(size) || !mediaType || mediaType === 'application/json') {
    return (await fetchManifest(endpoint, reference, options)).descriptor;
  }
  const expected = reference.includes(':') ? reference : digest;
  if (digest !== expected) throw new DigestMismatchError(expected, digest, `manifest ${describeEndpoint(endpoint, reference)}`);
  return { mediaType, digest: checkDigest(digest), size };
}

/**
 * GETs a manifest by tag or digest, accepting every manifest type (so no registry converts it),
 * refusing more than 4 MiB, and verifying the bytes against the digest asked for and against
 * `Docker-Content-Digest`.
 */
export async function fetchManifest(endpoint: Endpoint, reference: string, options: CallOptions = {}): Promise<FetchedManifest> {
  const request = manifestRequest(endpoint, 'GET', reference, options);
  const what = `manifest ${describeEndpoint(endpoint, reference)}`;
  const { response, bytes } = await getBodyCapped(endpoint.transport, request, MANIFEST_MAX_BYTES, what);
  const header = response.headers.get('docker-content-digest');
  for (const expected of [reference.includes(':') ? reference : undefined, header ?? undefined]) {
    if (!expected) continue;
    const actual = computeDigest(bytes, checkDigest(expected).startsWith('sha512:') ? 'sha512' : 'sha256');
    if (actual !== expected) throw new DigestMismatchError(expected, actual, what);
  }
  const digest = reference.includes(':') ? reference : computeDigest(bytes);
  const mediaType = manifestMediaType(response.headers.get('content-type'), bytes);
  return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes };
}

/**
 * PUTs manifest bytes under a tag or digest with `mediaType` as Content-Type, and checks the digest
 * the registry reports. Returns the manifest's descriptor.
 */
export async function pushManifest(
  endpoint: Endpoint, reference: string, bytes: Uint8Array, mediaType: string, options: CallOptions = {},
): Promise<Descriptor> {
  const request = {
    ...manifestRequest(endpoint, 'PUT', reference, options),
    headers: { 'content-type': mediaType },
    body: bytes,
    scopes: endpoint.scopes.push,
  };
  const digest = computeDigest(bytes);
  const response = await endpoint.transport(request);
  await expectStatus(response, request, 201, 200, 202);
  await discardBody(response);
  const reported = response.headers.get('docker-content-digest');
  if (reported && reported.startsWith('sha256:') && reported !== digest) {
    throw new DigestMismatchError(digest, reported, `manifest pushed to ${describeEndpoint(endpoint, reference)}`);
  }
  return { mediaType, digest, size: bytes.byteLength };
}

/** DELETEs a manifest by digest (Distribution cannot delete by tag: 400 DIGEST_INVALID). */
export async function deleteManifest(endpoint: Endpoint, digest: string, options: CallOptions = {}): Promise<void> {
  const request = { ...manifestRequest(endpoint, 'DELETE', checkDigest(digest), options), scopes: endpoint.scopes.delete };
  const response = await endpoint.transport(request);
  await expectStatus(response, request, 202, 200, 204);
  await discardBody(response);
}

function manifestRequest(endpoint: Endpoint, method: string, reference: string, options: CallOptions) {
  return {
    method,
    url: `${endpoint.base}/manifests/${checkManifestReference(reference)}`,
    headers: { accept: MANIFEST_ACCEPT },
    signal: options.signal,
    scopes: endpoint.scopes.pull,
  };
}

/** The Content-Type, unless it is missing or generic JSON; then the body's own `mediaType` field. */
function manifestMediaType(contentType: string | null, bytes: Uint8Array): string {
  const declared = baseMediaType(contentType ?? '');
  if (declared && declared !== 'application/json' && declared !== 'text/plain') return declared;
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { mediaType?: unknown; manifests?: unknown };
    if (typeof body.mediaType === 'string') return body.mediaType;
    return Array.isArray(body.manifests) ? MediaType.OciIndex : MediaType.OciManifest;
  } catch {
    return declared || 'application/octet-stream';
  }
}
