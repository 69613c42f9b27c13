/**
 * Blob reads on one repository: existence checks, verified downloads (following ACR's redirect to
 * storage without sending registry credentials there), and deletes.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pulling-blobs
 */
import { discardBody } from '../http/discard-body';
import { expectStatus } from '../http/registry-error';
import type { TransportRequest, TransportResponse } from '../http/transport';
import { createVerifyingStream } from '../oci/digest';
import { checkDigest, describeEndpoint, resolveLocation, type Endpoint } from './endpoint';
import type { CallOptions } from './manifests';
import { RegistryProtocolError } from './registry-protocol-error';
import { MAX_BLOB_RESUMES, resumableBody } from './resumable-blob';

/** At most this many redirects per download; ACR needs one (registry → storage). */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A blob download: its stream errors at the end if the content does not match the digest (or size). */
export interface BlobStream {
  digest: string;
  /** From Content-Length; undefined when the server did not send it. */
  size?: number;
  stream: ReadableStream<Uint8Array>;
}

/** HEADs a blob: true when the repository has it, false on 404. Other statuses throw a RegistryError. */
export async function blobExists(endpoint: Endpoint, digest: string, options: CallOptions & { scopes?: string[] } = {}): Promise<boolean> {
  const request = blobRequest(endpoint, 'HEAD', digest, options);
  const response = await endpoint.transport(request);
  await discardBody(response);
  if (response.status === 404) return false;
  await expectStatus(response, request, 200);
  return true;
}

/**
 * GETs a blob as a stream verified while it flows (size too, when `expectedSize` is given). A
 * redirect to another host (ACR → Azure Storage SAS URL) is followed through `redirectTransport`
 * with no scopes and no header but Range, so no registry token ever reaches the storage host. A body cut
 * mid-read is resumed with `Range` (at most {@link MAX_BLOB_RESUMES} times, see resumable-blob.ts);
 * each resume starts at the registry again, since ACR's redirect may be signed per request.
 */
export async function fetchBlob(endpoint: Endpoint, digest: string, options: BlobReadOptions = {}): Promise<BlobStream> {
  const first = await openBlob(endpoint, digest, options.signal);
  await expectStatus(first.response, first.request, 200);
  const what = `blob ${describeEndpoint(endpoint, digest)}`;
  if (!first.response.body) throw new RegistryProtocolError('missing-body', `GET ${what}: the response has no body`);
  const length = first.response.headers.get('content-length');
  const size = length === null ? undefined : Number(length);
  const expectedSize = options.expectedSize ?? size;
  const body = resumableBody(first.response.body, {
    what,
    url: `${endpoint.base}/blobs/${digest}`,
    size: expectedSize,
    maxResumes: options.maxResumes ?? MAX_BLOB_RESUMES,
    onResume: options.onResume,
    signal: options.signal,
    reopen: async (offset) => {
      const { request, response } = await openBlob(endpoint, digest, options.signal, { range: `bytes=${offset}-` });
      await expectStatus(response, request, 200, 206);
      return response;
    },
  });
  return { digest, size, stream: body.pipeThrough(createVerifyingStream(digest, expectedSize)) };
}

/** Options of {@link fetchBlob}. */
export interface BlobReadOptions extends CallOptions {
  /** Verified along with the digest; if undefined, Content-Length (when sent). */
  expectedSize?: number;
  /** Resumes after cuts; if undefined, {@link MAX_BLOB_RESUMES}. */
  maxResumes?: number;
  /** Called with the offset of each resumed GET. */
  onResume?: (offset: number) => void;
}

/** Sends the blob GET and follows up to {@link MAX_REDIRECTS} redirects; `headers` go to every hop. */
async function openBlob(
  endpoint: Endpoint, digest: string, signal: AbortSignal | undefined, headers?: Record<string, string>,
): Promise<{ request: TransportRequest; response: TransportResponse }> {
  let request: TransportRequest = { ...blobRequest(endpoint, 'GET', digest, { signal }), headers, noRedirect: true };
  let response = await endpoint.transport(request);
  for (let hops = 0; REDIRECT_STATUSES.has(response.status); hops++) {
    await discardBody(response);
    if (hops >= MAX_REDIRECTS) break;
    const url = resolveLocation(response.headers.get('location'), request.url, `GET blob ${digest}`);
    const sameOrigin = new URL(url).origin === endpoint.origin;
    // Another host gets no scopes (so no token) and only the Range header, never credentials.
    request = sameOrigin ? { ...request, url } : { method: 'GET', url, headers, signal, noRedirect: true };
    response = await (sameOrigin ? endpoint.transport : endpoint.redirectTransport)(request);
  }
  return { request, response };
}

/** DELETEs a blob (Distribution needs `storage.delete.enabled`; else 405 UNSUPPORTED). */
export async function deleteBlob(endpoint: Endpoint, digest: string, options: CallOptions = {}): Promise<void> {
  const request = { ...blobRequest(endpoint, 'DELETE', digest, options), scopes: endpoint.scopes.delete };
  const response = await endpoint.transport(request);
  await expectStatus(response, request, 202, 200, 204);
  await discardBody(response);
}

function blobRequest(endpoint: Endpoint, method: string, digest: string, options: CallOptions & { scopes?: string[] }): TransportRequest {
  return {
    method,
    url: `${endpoint.base}/blobs/${checkDigest(digest)}`,
    signal: options.signal,
    scopes: options.scopes ?? endpoint.scopes.pull,
  };
}
