/**
 * What is worth retrying and how long to wait: the pure half of {@link withRetry}.
 *
 * Reference: oras-go registry/remote/retry/policy.go; RFC 9110 §10.2.3 (Retry-After)
 */
import { RETRYABLE_STATUSES } from './registry-error';

/**
 * Error codes of connections that broke after they were made: the request may not have arrived, or
 * its answer was lost. ECONNREFUSED is deliberately absent: nobody listens there, which is a wrong
 * host or port (a configuration error) far more often than a blip, and retrying only delays the report.
 */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Messages Node uses for a reset without a code on the error itself. */
const RETRYABLE_MESSAGES = [/socket hang up/i, /other side closed/i];

/** True for a status worth repeating: 408, 429, 500, 502, 503, 504. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * True when `err` (or one of its causes) is a broken connection. Aborts are never retryable; neither
 * are TLS failures, DNS "not found" or refused connections (they will fail again).
 */
export function isRetryableError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current != null; depth++) {
    if (isAbort(current)) return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_ERROR_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && RETRYABLE_MESSAGES.some((re) => re.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** True for an AbortError / TimeoutError from a signal. */
export function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/**
 * The wait before retry number `attempt` (0-based): full jitter over an exponentially growing window,
 * `min + random() * (min(max, min * 2^attempt) - min)`, so a thundering herd spreads out.
 */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.round(minMs + random() * Math.max(0, ceiling - minMs));
}

/**
 * Parses a Retry-After value (delay-seconds or an HTTP-date) into milliseconds from `now`; undefined
 * when absent or unparsable. Dates in the past give 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
