/**
 * Uploads a packed build context to the SAS URL ACR hands out, as a block blob: the stream is cut
 * into blocks staged in parallel and committed with one Put Block List, so large contexts upload
 * at several connections' speed and nothing is buffered whole.
 *
 * Reference: https://learn.microsoft.com/rest/api/storageservices/put-block and azure-cli
 * `acr/_archive_utils.py` (`upload_source_code`).
 */
import { BlockBlobClient } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { redactSecrets, redactUrl } from '../../http/redact';

export interface UploadOptions {
  /** Block size in bytes. If undefined, 4 MiB (the storage SDK's default buffer size). */
  blockSize?: number;
  /** Blocks in flight. If undefined, 4. */
  concurrency?: number;
  /** Called with the bytes sent so far. */
  onProgress?: (bytes: number) => void;
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

/** Streams `body` into the blob at `uploadUrl` (a SAS URL). Resolves the number of bytes uploaded. */
export async function uploadBuildSource(uploadUrl: string, body: Readable, options: UploadOptions = {}): Promise<number> {
  const blob = new BlockBlobClient(uploadUrl);
  let sent = 0;
  try {
    await blob.uploadStream(body, options.blockSize ?? 4 * 1024 * 1024, options.concurrency ?? 4, {
      abortSignal: options.signal,
      blobHTTPHeaders: { blobContentType: 'application/gzip' },
      onProgress: (p) => {
        sent = p.loadedBytes;
        options.onProgress?.(sent);
      },
    });
  } catch (cause) {
    if (options.signal?.aborted) throw options.signal.reason;
    // The SDK's error carries the request (and with it the SAS URL), so only its message travels on.
    const url = new URL(uploadUrl);
    const detail = redactSecrets((cause as Error).message ?? String(cause), [url.search.slice(1), url.searchParams.get('sig') ?? undefined]);
    throw new SourceUploadError(`uploading the build context to ${redactUrl(uploadUrl)}: ${detail}`);
  }
  return sent;
}
