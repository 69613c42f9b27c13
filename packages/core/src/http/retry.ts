/**
 * The retry decorator: bounded retries with exponential backoff and full jitter for transient
 * statuses and broken connections, honouring Retry-After, aborted by the request's signal.
 *
 * Reference: oras-go registry/remote/retry (5xx/429/408, 200 ms–3 s jitter); ggcr internal/retry
 */
import { silentLogger, type Logger } from '../log';
import { discardBody } from './discard-body';
import { redactUrl } from './redact';
import { backoffDelay, isAbort, isRetryableError, isRetryableStatus, parseRetryAfter } from './retry-policy';
import type { Transport, TransportRequest, TransportResponse } from './transport';

/** Options of {@link withRetry}; every field is optional. */
export interface RetryOptions {
  /** Retries after the first attempt; if undefined, 4 (5 attempts in all). 0 disables retrying. */
  maxRetries?: number;
  /** Smallest wait between attempts; if undefined, 200 ms. */
  minDelayMs?: number;
  /** Largest backoff wait; if undefined, 3000 ms. */
  maxDelayMs?: number;
  /**
   * No retry starts later than this after the first attempt began (the total time bound);
   * if undefined, 60 s. A wait that would end past it is not taken: the last answer is returned.
   */
  maxElapsedMs?: number;
  /** Retry-After values above this are capped to it; if undefined, 10 s. */
  maxRetryAfterMs?: number;
  /** Waits `ms` or rejects with the signal's reason; injectable for tests. If undefined, a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform random in [0, 1); if undefined, `Math.random`. */
  random?: () => number;
  /** Clock in ms; if undefined, `Date.now`. */
  now?: () => number;
  /** Gets a debug line per retry. If undefined, silent. */
  logger?: Logger;
}

/** Defaults of {@link RetryOptions}, spelled out once. */
export const DEFAULT_RETRY = {
  maxRetries: 4,
  minDelayMs: 200,
  maxDelayMs: 3000,
  maxElapsedMs: 60_000,
  maxRetryAfterMs: 10_000,
} as const;

/**
 * Wraps `transport` so that 408/429/500/502/503/504 answers and broken connections are retried.
 * 4xx answers other than 408/429 are returned as they are. Requests whose body cannot be replayed
 * (anything other than a string, bytes or a body function) are sent once.
 */
export function withRetry(transport: Transport, options: RetryOptions = {}): Transport {
  const o = { ...DEFAULT_RETRY, ...stripUndefined(options) };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;

  return async (request) => {
    const started = now();
    const retries = isReplayable(request) ? o.maxRetries : 0;
    for (let attempt = 0; ; attempt++) {
      request.signal?.throwIfAborted();
      let outcome: { response: TransportResponse } | { error: unknown };
      try {
        outcome = { response: await transport(request) };
      } catch (error) {
        if (isAbort(error) || request.signal?.aborted || !isRetryableError(error)) throw error;
        outcome = { error };
      }
      const response = 'response' in outcome ? outcome.response : undefined;
      if (response && !isRetryableStatus(response.status)) return response;

      let delay = backoffDelay(attempt, o.minDelayMs, o.maxDelayMs, random);
      const retryAfter = parseRetryAfter(response?.headers.get('retry-after'), now());
      if (retryAfter !== undefined) delay = Math.max(delay, Math.min(retryAfter, o.maxRetryAfterMs));
      const withinBudget = now() - started + delay <= o.maxElapsedMs;
      if (attempt >= retries || !withinBudget) {
        if (response) return response;
        throw (outcome as { error: unknown }).error;
      }
      if (response) await discardBody(response);
      logger.debug(
        `retrying ${request.method.toUpperCase()} ${redactUrl(request.url)} after ${response ? response.status : 'a broken connection'} ` +
          `in ${delay} ms (retry ${attempt + 1} of ${retries})`,
      );
      await sleep(delay, request.signal);
    }
  };
}

/** Strings and bytes can be sent again; a body function is called again. Anything else cannot. */
export function isReplayable(request: TransportRequest): boolean {
  const body: unknown = request.body;
  return body === undefined || typeof body === 'string' || typeof body === 'function' || body instanceof Uint8Array;
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
