/**
 * Reads a response body whole, refusing to buffer more than a cap: a registry (or a proxy in front
 * of it) that answers a manifest request with gigabytes must not exhaust memory. Also the one place
 * that retries a small GET whose body is cut mid-read (see {@link getBodyCapped}).
 */
import { NetworkError } from '../http/network-error';
import { expectStatus } from '../http/registry-error';
import { abortableSleep, DEFAULT_RETRY } from '../http/retry';
import { isAbort } from '../http/retry-policy';
import type { Transport, TransportRequest, TransportResponse } from '../http/transport';
import { ManifestError } from '../oci/manifest';

/** Reads `response`'s body into memory, failing as soon as it exceeds `max` bytes; `what` names it in errors. */
export async function readBodyCapped(response: TransportResponse, max: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw new ManifestError('TOO_LARGE', `${what} is ${declared} bytes, more than the ${max} bytes allowed`);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > max) {
        await response.body.cancel().catch(() => {});
        throw new ManifestError('TOO_LARGE', `${what} is more than the ${max} bytes allowed`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    // undici reports a body cut mid-way as a bare `TypeError: terminated`: name what was being read.
    if (err instanceof ManifestError || isAbort(err)) throw err;
    throw new NetworkError('CONNECTION_RESET', 'GET', response.url || what, `connection closed while reading ${what} (${size} bytes in)`, { cause: err });
  }
  return concat(chunks, size);
}

/**
 * Sends an idempotent GET, expects 200 and reads the body whole (capped at `max`), sending it once more
 * when the body is cut mid-read (see {@link readResendingOnCut}). Manifest GETs and listing pages all
 * read through here.
 */
export async function getBodyCapped(
  transport: Transport, request: TransportRequest, max: number, what: string,
): Promise<{ response: TransportResponse; bytes: Uint8Array }> {
  return readResendingOnCut(request, () => transport(request), async (response) => {
    await expectStatus(response, request, 200);
    return { response, bytes: await readBodyCapped(response, max, what) };
  });
}

/**
 * Sends `request` (through `send`) and reads the answer with `read`; a GET whose body is cut mid-read
 * (`NetworkError CONNECTION_RESET`) is sent once more, after the retry layer's shortest backoff. This
 * lives here, not in withRetry, because withRetry hands the response back once the headers arrive,
 * before anyone reads the body, and must not buffer bodies (blobs are streamed and digest-verified
 * instead, and resume with Range: resumable-blob.ts). The second send goes through the same transport,
 * so withRetry's bounds, the token cache and the caller's signal apply to it unchanged.
 */
export async function readResendingOnCut<T>(
  request: TransportRequest, send: () => Promise<TransportResponse>, read: (response: TransportResponse) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const response = await send();
    try {
      return await read(response);
    } catch (err) {
      if (attempt >= 1 || request.method.toUpperCase() !== 'GET' || !NetworkError.is(err, 'CONNECTION_RESET')) throw err;
      await abortableSleep(DEFAULT_RETRY.minDelayMs, request.signal);
    }
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
