/**
 * Blob uploads on one repository: POST to open a session, then either one monolithic PUT with the
 * body (small blobs: one request fewer per blob, which dominates images of many small layers) or
 * one streamed PATCH and an empty PUT (large blobs, as containers/image and crane do). The bytes are
 * hashed while they are sent, so a source that does not match its digest is named as the culprit.
 * Cross-repository mounts fall back to an upload when the registry answers 202.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#pushing-blobs
 */
import { discardBody } from '../http/discard-body';
import { expectStatus, RegistryError } from '../http/registry-error';
import type { TransportRequest, TransportResponse } from '../http/transport';
import { createDigester, DigestMismatchError, type Digester } from '../oci/digest';
import type { Descriptor } from '../oci/types';
import { blobExists } from './blobs';
import { checkDigest, describeEndpoint, resolveLocation, type Endpoint } from './endpoint';
import type { CallOptions } from './manifests';

/** Blob content: called once per attempt, so a retried upload re-reads its source from the start. */
export type BlobBody = () => AsyncIterable<Uint8Array> | Uint8Array;

export interface UploadOptions extends CallOptions {
  /**
   * Blobs up to this size go in one PUT; larger ones in one streamed PATCH and an empty PUT.
   * If undefined, {@link DEFAULT_MONOLITHIC_LIMIT}.
   */
  monolithicLimit?: number;
}

/** 32 MiB: a monolithic PUT saves a request per blob; above this a failed PUT would waste the most. */
export const DEFAULT_MONOLITHIC_LIMIT = 32 * 1024 * 1024;

/** The bytes a body produced do not match the descriptor they were pushed as: the source is wrong, not the registry. */
export class SourceMismatchError extends DigestMismatchError {}

/** What happened to a blob the destination needed. */
export type BlobAction = 'uploaded' | 'skipped' | 'mounted';

/** Upload sessions a registry lost or refused to continue: ACR cannot resume them, so the upload restarts once from POST. */
const RESTART_CODES = ['BLOB_UPLOAD_UNKNOWN', 'BLOB_UPLOAD_INVALID'];

/**
 * Uploads `body` as the blob `descriptor` (digest and size must be right; both are checked). A
 * session the registry lost (`BLOB_UPLOAD_UNKNOWN`/`_INVALID`, acr-wire.md §3) is restarted once.
 */
export async function pushBlob(endpoint: Endpoint, descriptor: Descriptor, body: BlobBody, options: UploadOptions = {}): Promise<void> {
  checkDigest(descriptor.digest);
  for (let attempt = 1; ; attempt++) {
    try {
      const location = await startUpload(endpoint, options);
      return await uploadToSession(endpoint, location, descriptor, body, options);
    } catch (err) {
      if (attempt > 1 || !RESTART_CODES.some((code) => RegistryError.is(err, code))) throw err;
      endpoint.logger.debug(`upload of ${descriptor.digest} lost its session (${(err as RegistryError).codes.join(', ')}); starting again`);
    }
  }
}

async function startUpload(endpoint: Endpoint, options: CallOptions): Promise<string> {
  const request: TransportRequest = {
    method: 'POST', url: `${endpoint.base}/blobs/uploads/`, signal: options.signal, scopes: endpoint.scopes.push,
  };
  const response = await endpoint.transport(request);
  await expectStatus(response, request, 202);
  await discardBody(response);
  return resolveLocation(response.headers.get('location'), request.url, `POST ${request.url}`);
}

/**
 * Mounts `descriptor` from repository `from` on the same registry. When the registry answers 202
 * (it does not have the blob there, or does not mount), uploads `body` through the session it
 * opened; when it refuses the mount (401/403, e.g. no pull right on `from`), uploads normally.
 */
export async function mountBlob(
  endpoint: Endpoint, descriptor: Descriptor, from: string, body: BlobBody, options: UploadOptions = {},
): Promise<BlobAction> {
  const query = new URLSearchParams({ mount: checkDigest(descriptor.digest), from });
  const request: TransportRequest = {
    method: 'POST',
    url: `${endpoint.base}/blobs/uploads/?${query}`,
    signal: options.signal,
    scopes: [...endpoint.scopes.push, `repository:${from}:pull`],
  };
  let response: TransportResponse;
  try {
    response = await endpoint.transport(request);
    await expectStatus(response, request, 201, 202);
  } catch (err) {
    if (!RegistryError.is(err) || ![401, 403].includes(err.status)) throw err;
    endpoint.logger.debug(`mounting ${descriptor.digest} from ${from} refused (${err.status}); uploading instead`);
    await pushBlob(endpoint, descriptor, body, options);
    return 'uploaded';
  }
  await discardBody(response);
  if (response.status === 201) return 'mounted';
  const location = resolveLocation(response.headers.get('location'), request.url, `POST ${request.url}`);
  try {
    await uploadToSession(endpoint, location, descriptor, body, options);
  } catch (err) {
    if (!RESTART_CODES.some((code) => RegistryError.is(err, code))) throw err;
    await pushBlob(endpoint, descriptor, body, options);
  }
  return 'uploaded';
}

async function uploadToSession(endpoint: Endpoint, location: string, descriptor: Descriptor, body: BlobBody, options: UploadOptions): Promise<void> {
  const limit = options.monolithicLimit ?? DEFAULT_MONOLITHIC_LIMIT;
  const hashed = hashingBody(body);
  try {
    if (descriptor.size <= limit) {
      await putBlob(endpoint, location, descriptor, hashed.body, options);
    } else {
      const next = await patchBlob(endpoint, location, descriptor, hashed.body, options);
      await putBlob(endpoint, next, descriptor, undefined, options);
    }
  } catch (err) {
    hashed.check(descriptor, endpoint, err);
    throw err;
  }
  hashed.check(descriptor, endpoint);
}

async function patchBlob(endpoint: Endpoint, location: string, descriptor: Descriptor, body: BlobBody, options: CallOptions): Promise<string> {
  const request: TransportRequest = {
    method: 'PATCH',
    url: location,
    headers: { 'content-type': 'application/octet-stream' },
    body,
    contentLength: descriptor.size,
    signal: options.signal,
    scopes: endpoint.scopes.push,
  };
  const response = await endpoint.transport(request);
  await expectStatus(response, request, 202, 204);
  await discardBody(response);
  return resolveLocation(response.headers.get('location'), location, `PATCH blob ${descriptor.digest}`);
}

async function putBlob(endpoint: Endpoint, location: string, descriptor: Descriptor, body: BlobBody | undefined, options: CallOptions): Promise<void> {
  const url = new URL(location);
  url.searchParams.set('digest', descriptor.digest);
  const request: TransportRequest = {
    method: 'PUT',
    url: url.toString(),
    headers: { 'content-type': 'application/octet-stream' },
    body: body ?? new Uint8Array(),
    contentLength: body ? descriptor.size : 0,
    signal: options.signal,
    scopes: endpoint.scopes.push,
  };
  const response = await endpoint.transport(request);
  try {
    await expectStatus(response, request, 201, 204);
  } catch (err) {
    // A retried PUT whose first attempt completed the upload (its 201 lost on the way back) finds the
    // session closed. The blob is in when the registry now has it: it verified the digest on that PUT.
    if (RegistryError.is(err, 'BLOB_UPLOAD_UNKNOWN') && (await blobExists(endpoint, descriptor.digest, { ...options, scopes: endpoint.scopes.push }))) return;
    throw err;
  }
  await discardBody(response);
  const reported = response.headers.get('docker-content-digest');
  if (reported && reported !== descriptor.digest) {
    throw new DigestMismatchError(descriptor.digest, reported, `blob pushed to ${describeEndpoint(endpoint)}`);
  }
}

/**
 * Wraps a body so each attempt is hashed as it is read. `check` compares the last complete attempt
 * with the descriptor, and throws a DigestMismatchError naming the source when they differ.
 */
function hashingBody(body: BlobBody) {
  let last: Digester | undefined;
  let complete = false;
  const wrapped: BlobBody = () => {
    const digester = createDigester();
    last = digester;
    complete = false;
    const source = body();
    if (source instanceof Uint8Array) {
      digester.update(source);
      complete = true;
      return source;
    }
    return (async function* () {
      for await (const chunk of source) {
        digester.update(chunk);
        yield chunk;
      }
      complete = digester === last;
    })();
  };
  const check = (descriptor: Descriptor, endpoint: Endpoint, cause?: unknown) => {
    if (!last || !complete) return;
    const actual = last.digest();
    const size = last.size;
    last = undefined;
    if (actual === descriptor.digest && size === descriptor.size) return;
    const got = size === descriptor.size ? actual : `${actual} (${size} bytes, expected ${descriptor.size})`;
    const err = new SourceMismatchError(descriptor.digest, got, `source of blob ${descriptor.digest} (pushing to ${describeEndpoint(endpoint)})`);
    if (cause !== undefined) Object.defineProperty(err, 'cause', { value: cause });
    throw err;
  };
  return { body: wrapped, check };
}
