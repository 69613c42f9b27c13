/**
 * Bounded retries for the build-context upload through `@azure/storage-blob`. The storage SDK's own
 * retry policy (the only one in its pipeline: it removes core's) retries 500, 503 and broken
 * connections, but by default waits 4 s, 12 s, … up to 120 s between tries, never retries 429 nor
 * reads Retry-After, and its `tryTimeoutInMs` is only the server-side `timeout` query parameter: a
 * try that stalls is never given up on. So the upload passes explicit options and adds one policy per
 * try that bounds its time and answers 429 with the wait the server asked for (capped). The same
 * policy applies the caller's abort signal to every try: `uploadStream` (12.32.0) passes its
 * `abortSignal` to the final Put Block List only, not to the Put Blocks, so without this an abort
 * would wait for every block in flight (upload.faults.test.ts U11).
 *
 * Reference: @azure/storage-common `StorageRetryPolicyV2` (12.x: DEFAULT_RETRY_OPTIONS,
 * `retriableErrors`, 500/503 only); https://learn.microsoft.com/rest/api/storageservices/setting-timeouts-for-blob-service-operations
 */
import { RestError, type PipelinePolicy, type PipelineRequest } from '@azure/core-rest-pipeline';
import type { StorageRetryOptions } from '@azure/storage-blob';
import { abortableSleep, DEFAULT_RETRY } from '../../http/retry';
import { parseRetryAfter } from '../../http/retry-policy';

/** Retry bounds of the context upload; every field is optional. */
export interface UploadRetryOptions {
  /** Tries per request (Put Block, Put Block List) for 500/503/broken connections; if undefined, 5. */
  maxTries?: number;
  /** Base of the SDK's exponential wait ((2^(n-1) - 1) × this); if undefined, 200 ms. */
  retryDelayMs?: number;
  /** Largest such wait; if undefined, 3000 ms. */
  maxRetryDelayMs?: number;
  /**
   * One try (one HTTP exchange) that takes longer is abandoned and retried like a broken connection;
   * if undefined, 300 s (undici's body timeout; a 4 MiB block then needs about 14 KB/s).
   */
  tryTimeoutMs?: number;
  /** 429 answers retried per try; if undefined, 4. */
  maxThrottleRetries?: number;
  /** Retry-After above this is capped to it; if undefined, 10 s (as withRetry). */
  maxRetryAfterMs?: number;
}

/** Defaults of {@link UploadRetryOptions}: the same scale as the registry transport's withRetry. */
export const DEFAULT_UPLOAD_RETRY: Required<UploadRetryOptions> = {
  maxTries: DEFAULT_RETRY.maxRetries + 1,
  retryDelayMs: DEFAULT_RETRY.minDelayMs,
  maxRetryDelayMs: DEFAULT_RETRY.maxDelayMs,
  tryTimeoutMs: 300_000,
  maxThrottleRetries: DEFAULT_RETRY.maxRetries,
  maxRetryAfterMs: DEFAULT_RETRY.maxRetryAfterMs,
};

/** The storage SDK's retry options for `o` (its per-try `timeout` is left to the service). */
export function storageRetryOptions(o: Required<UploadRetryOptions>): StorageRetryOptions {
  return { maxTries: o.maxTries, retryDelayInMs: o.retryDelayMs, maxRetryDelayInMs: o.maxRetryDelayMs };
}

/**
 * A per-try policy (it runs inside the SDK's retry loop): each exchange gets `tryTimeoutMs`, after
 * which it fails as `ETIMEDOUT` (which the SDK retries); a 429 is sent again after its Retry-After
 * (or the shortest backoff), at most `maxThrottleRetries` times. `signal` (the upload's) ends any
 * try or wait, whether or not the SDK passed it on to the request.
 */
export function boundedTryPolicy(o: Required<UploadRetryOptions>, signal?: AbortSignal): PipelinePolicy {
  return {
    name: 'acrkitBoundedTryPolicy',
    async sendRequest(request, next) {
      const callerSignals = [request.abortSignal as AbortSignal | undefined, signal].filter((s): s is AbortSignal => s !== undefined);
      const caller = callerSignals.length > 1 ? AbortSignal.any(callerSignals) : callerSignals[0];
      for (let throttled = 0; ; throttled++) {
        const response = await timedTry(request, caller, o.tryTimeoutMs, () => next(request));
        if (response.status !== 429 || throttled >= o.maxThrottleRetries) return response;
        const asked = parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? o.retryDelayMs;
        await abortableSleep(Math.min(asked, o.maxRetryAfterMs), caller);
      }
    },
  };
}

/** Sends with `request.abortSignal` set to the caller's signal plus a `ms` timeout, restoring it after. */
async function timedTry<T>(request: PipelineRequest, caller: AbortSignal | undefined, ms: number, send: () => Promise<T>): Promise<T> {
  const original = request.abortSignal;
  const timeout = AbortSignal.timeout(ms);
  request.abortSignal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  try {
    return await send();
  } catch (err) {
    if (!timeout.aborted || caller?.aborted) throw err;
    throw new RestError(`no answer within ${ms} ms (ETIMEDOUT)`, { code: 'ETIMEDOUT', request });
  } finally {
    request.abortSignal = original;
  }
}
