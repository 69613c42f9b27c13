/**
 * A blob download that survives a connection cut mid-body: the GET is sent again with
 * `Range: bytes=N-` and the new body is spliced onto the bytes already passed on, so one verifying
 * stream downstream still sees the whole blob once, in order. withRetry cannot do this: it hands the
 * response back at the headers, before anyone reads the body.
 *
 * Reference: RFC 9110 §14 (Range requests: 206 with Content-Range; a server may ignore Range and
 * answer 200 with the whole representation); https://learn.microsoft.com/rest/api/storageservices/get-blob
 * (Azure Blob, where ACR redirects blob GETs, honours Range).
 */
import { NetworkError } from '../http/network-error';
import { abortableSleep, DEFAULT_RETRY } from '../http/retry';
import { isAbort } from '../http/retry-policy';
import type { TransportResponse } from '../http/transport';
import { RegistryProtocolError } from './registry-protocol-error';

/** Resumes per download: each one follows a cut, so a body cut this many times plus one fails. */
export const MAX_BLOB_RESUMES = 3;

/** Options of {@link resumableBody}. */
export interface ResumeOptions {
  /**
   * Sends the GET again for the bytes from `offset` on (with `Range: bytes=<offset>-`), following
   * redirects as the first GET did; resolves the answer with a 2xx status already checked.
   */
  reopen: (offset: number) => Promise<TransportResponse>;
  /** Names the download in errors (`blob registry/repo@sha256:…`). */
  what: string;
  /** The URL named by the final NetworkError (the registry's, never a SAS URL). */
  url: string;
  /** The blob's size when known: a cut after the last byte needs no resume. */
  size?: number;
  /** If undefined, {@link MAX_BLOB_RESUMES}. */
  maxResumes?: number;
  /** Wait before each resume; if undefined, the retry layer's shortest backoff (200 ms). */
  delayMs?: number;
  /** Called after each successful resume with the offset it resumed at. */
  onResume?: (offset: number) => void;
  signal?: AbortSignal;
}

/**
 * The body of `first`, resumed after connection cuts. Any error of the raw body other than an abort
 * counts as a cut (undici reports one as a bare `TypeError: terminated`); an abort is passed on as it
 * is. The `maxResumes + 1`-th cut ends the stream with `NetworkError CONNECTION_RESET` naming `what`
 * and how many bytes arrived. Errors of the resumed GET itself (a 4xx, a refused Range) end it too.
 */
export function resumableBody(first: ReadableStream<Uint8Array>, options: ResumeOptions): ReadableStream<Uint8Array> {
  const maxResumes = options.maxResumes ?? MAX_BLOB_RESUMES;
  let reader = first.getReader();
  let offset = 0;
  let resumes = 0;

  const resume = async (err: unknown): Promise<void> => {
    if (isAbort(err) || options.signal?.aborted) throw err;
    if (resumes >= maxResumes) {
      const detail = `connection closed while reading ${options.what} (${offset} bytes in, after ${resumes} resumed GETs)`;
      throw new NetworkError('CONNECTION_RESET', 'GET', options.url, detail, { cause: err });
    }
    resumes++;
    await reader.cancel().catch(() => {});
    await abortableSleep(options.delayMs ?? DEFAULT_RETRY.minDelayMs, options.signal);
    reader = bodyFrom(await options.reopen(offset), offset, options.what).getReader();
    options.onResume?.(offset);
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (err) {
          // A cut right after the last byte: everything arrived, the verifier downstream decides.
          if (options.size !== undefined && offset >= options.size && !isAbort(err)) return controller.close();
          await resume(err);
          continue;
        }
        if (chunk.done) return controller.close();
        offset += chunk.value.byteLength;
        return controller.enqueue(chunk.value);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * The part of a resumed answer from `offset` on: a 206 must say `Content-Range: bytes <offset>-…`;
 * a 200 (the server ignored Range) has its first `offset` bytes dropped. Anything else is refused.
 */
export function bodyFrom(response: TransportResponse, offset: number, what: string): ReadableStream<Uint8Array> {
  if (!response.body) throw new RegistryProtocolError('missing-body', `resuming ${what} at byte ${offset}: the response has no body`);
  if (response.status === 200) return response.body.pipeThrough(skipBytes(offset));
  const range = response.headers.get('content-range');
  const start = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(range?.trim() ?? '')?.[1];
  if (response.status !== 206 || start === undefined || Number(start) !== offset) {
    void response.body.cancel().catch(() => {});
    throw new RegistryProtocolError(
      'bad-range',
      `resuming ${what} at byte ${offset}: expected 206 with Content-Range from ${offset}, got ${response.status} ${range ?? '(no Content-Range)'}`,
    );
  }
  return response.body;
}

/** Drops the first `count` bytes of a stream. */
export function skipBytes(count: number): TransformStream<Uint8Array, Uint8Array> {
  let left = count;
  return new TransformStream({
    transform(chunk, controller) {
      if (left >= chunk.byteLength) {
        left -= chunk.byteLength;
        return;
      }
      controller.enqueue(left > 0 ? chunk.subarray(left) : chunk);
      left = 0;
    },
  });
}
