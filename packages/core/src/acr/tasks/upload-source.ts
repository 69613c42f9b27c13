/**
 * Uploads a packed build context to the SAS URL ACR hands out, as a block blob: the stream is cut
 * into blocks staged in parallel and committed with one Put Block List, so large contexts upload
 * at several connections' speed and nothing is buffered whole. Retries are bounded in count and
 * time and 429 honours Retry-After (upload-retry.ts says why the SDK's defaults are not used).
 *
 * Reference: https://learn.microsoft.com/rest/api/storageservices/put-block and azure-cli
 * `acr/_archive_utils.py` (`upload_source_code`).
 */
import { AnonymousCredential, BlockBlobClient, newPipeline, type StoragePipelineOptions } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { redactSecrets, redactUrl } from '../../http/redact';
import { boundedTryPolicy, DEFAULT_UPLOAD_RETRY, storageRetryOptions, type UploadRetryOptions } from './upload-retry';

export interface UploadOptions {
  /** Block size in bytes. If undefined, 4 MiB (the storage SDK's default buffer size). */
  blockSize?: number;
  /** Blocks in flight. If undefined, 4. */
  concurrency?: number;
  /** Called with the bytes sent so far (after each block is stored). */
  onProgress?: (bytes: number) => void;
  /** Retry bounds; if undefined, {@link DEFAULT_UPLOAD_RETRY}. */
  retry?: UploadRetryOptions;
  signal?: AbortSignal;
}

/** Uploading the context failed; the message never holds the SAS signature. */
export class SourceUploadError extends Error {
  override name = 'SourceUploadError';
  readonly code = 'SOURCE_UPLOAD_FAILED' as const;
  static is(err: unknown): err is SourceUploadError {
    return err instanceof SourceUploadError;
  }
}

/**
 * Streams `body` into the blob at `uploadUrl` (a SAS URL). Resolves the number of bytes uploaded.
 * Nothing is committed unless every block was stored (one Put Block List at the end), so a failed
 * upload leaves no blob (or the one committed before, untouched). On failure the requests still in
 * flight are aborted and `body` is destroyed.
 */
export async function uploadBuildSource(uploadUrl: string, body: Readable, options: UploadOptions = {}): Promise<number> {
  const retry = { ...DEFAULT_UPLOAD_RETRY, ...definedOnly(options.retry ?? {}) };
  // `additionalPolicies` is core-client's ServiceClient option (not in StoragePipelineOptions' type):
  // storage-blob hands its pipeline options on to it, and upload.faults.test.ts proves the policy runs.
  const inFlight = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, inFlight.signal]) : inFlight.signal;
  const perTry = { policy: boundedTryPolicy(retry, signal), position: 'perRetry' as const };
  const pipelineOptions = { retryOptions: storageRetryOptions(retry), additionalPolicies: [perTry] } as StoragePipelineOptions;
  const blob = new BlockBlobClient(uploadUrl, newPipeline(new AnonymousCredential(), pipelineOptions));
  let sent = 0;
  try {
    await blob.uploadStream(body, options.blockSize ?? 4 * 1024 * 1024, options.concurrency ?? 4, {
      abortSignal: signal,
      blobHTTPHeaders: { blobContentType: 'application/gzip' },
      onProgress: (p) => {
        sent = p.loadedBytes;
        options.onProgress?.(sent);
      },
    });
  } catch (cause) {
    inFlight.abort();
    body.destroy();
    if (options.signal?.aborted) throw options.signal.reason;
    // The SDK's error carries the request (and with it the SAS URL), so only its message travels on.
    const url = new URL(uploadUrl);
    const detail = redactSecrets((cause as Error).message ?? String(cause), [url.search.slice(1), url.searchParams.get('sig') ?? undefined]);
    throw new SourceUploadError(`uploading the build context to ${redactUrl(uploadUrl)}: ${detail}`);
  }
  return sent;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
