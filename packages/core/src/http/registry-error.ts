/**
 * One error for every unexpected registry answer: method, redacted URL, status, the parsed
 * distribution-spec `errors[]` and a capped body. `retryable` is the only retry predicate.
 *
 * Reference: https://github.com/opencontainers/distribution-spec/blob/v1.1.1/spec.md#error-codes
 */
import { STATUS_CODES } from 'node:http';
import { redactSecrets, redactUrl } from './redact';
import type { TransportResponse } from './transport';

/** Error codes from the distribution spec, plus the ones Docker Distribution and ACR add. */
export type RegistryErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'MANIFEST_UNVERIFIED'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'TAG_INVALID'
  | 'TAG_UNKNOWN'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOO_MANY_REQUESTS'
  | 'UNKNOWN';

/** One entry of a registry's `{"errors":[...]}` body. */
export interface RegistryErrorDetail {
  code: string;
  message?: string;
  detail?: unknown;
}

/** Statuses worth retrying: timeouts, throttling and transient server/proxy failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Error bodies are read up to this many bytes; a hostile registry cannot make us buffer more. */
export const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** The fields a RegistryError is built from. */
export interface RegistryErrorInit {
  method: string;
  /** The request URL; stored redacted. */
  url: string;
  status: number;
  statusText?: string;
  errors?: RegistryErrorDetail[];
  /** The raw (capped) body. */
  body?: string;
  /** Context put before the message, e.g. `fetching token for myreg.azurecr.io`. */
  context?: string;
  /** Appended to the message, e.g. which identity was refused. */
  hint?: string;
  /** Secrets to mask in the body and message. */
  secrets?: Iterable<string | undefined>;
}

/** An unexpected HTTP status from a registry (or its token endpoint). */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly method: string;
  /** The redacted request URL. */
  readonly url: string;
  readonly status: number;
  readonly errors: RegistryErrorDetail[];
  /** The distinct `errors[].code` values, in order. */
  readonly codes: string[];
  /** The response body, capped at {@link ERROR_BODY_MAX_BYTES} and with known secrets masked. */
  readonly body: string;
  /** True when repeating the request may succeed (408, 429, 5xx transients). */
  readonly retryable: boolean;

  constructor(init: RegistryErrorInit) {
    const url = redactUrl(init.url);
    const errors = init.errors ?? [];
    const secrets = [...(init.secrets ?? [])];
    super(redactSecrets(formatMessage(init, url, errors), secrets));
    this.method = init.method.toUpperCase();
    this.url = url;
    this.status = init.status;
    this.errors = errors;
    this.codes = [...new Set(errors.map((e) => e.code))];
    this.body = redactSecrets(init.body ?? '', secrets);
    this.retryable = RETRYABLE_STATUSES.has(init.status);
  }

  /** True when `err` is a RegistryError (whose codes include `code`, when given). */
  static is(err: unknown, code?: RegistryErrorCode | (string & {})): err is RegistryError {
    return err instanceof RegistryError && (code === undefined || err.codes.includes(code));
  }

  /**
   * Builds the error from a response, reading at most {@link ERROR_BODY_MAX_BYTES} of its body (the
   * rest is cancelled).
   */
  static async fromResponse(
    response: TransportResponse,
    request: { method: string; url: string },
    extra: Pick<RegistryErrorInit, 'context' | 'hint' | 'secrets'> = {},
  ): Promise<RegistryError> {
    const body = await readCappedText(response, ERROR_BODY_MAX_BYTES);
    return new RegistryError({
      method: request.method,
      url: request.url,
      status: response.status,
      statusText: response.statusText,
      errors: parseErrors(body),
      body,
      ...extra,
    });
  }
}

/**
 * Resolves when `response.status` is one of `statuses`; otherwise reads the (capped) body and throws
 * a RegistryError. Each call states the statuses it accepts.
 */
export async function expectStatus(
  response: TransportResponse,
  request: { method: string; url: string },
  ...statuses: number[]
): Promise<void> {
  if (statuses.includes(response.status)) return;
  throw await RegistryError.fromResponse(response, request);
}

function formatMessage(init: RegistryErrorInit, url: string, errors: RegistryErrorDetail[]): string {
  let summary: string;
  if (errors.length > 0) {
    summary = errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
  } else {
    // HTTP/2 and some proxies send no reason phrase; the standard one reads better than nothing.
    summary = init.statusText || STATUS_CODES[init.status] || 'unexpected status';
  }
  const head = `${init.method.toUpperCase()} ${url}: ${init.status} ${summary}`;
  return [init.context ? `${init.context}: ${head}` : head, init.hint].filter(Boolean).join(' ');
}

/** Parses a distribution-spec error body; anything else yields no entries. */
export function parseErrors(body: string): RegistryErrorDetail[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  const list = (json as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(list)) return [];
  const out: RegistryErrorDetail[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const { code, message, detail } = item as Record<string, unknown>;
    if (typeof code !== 'string') continue;
    out.push({ code, ...(typeof message === 'string' && { message }), ...(detail !== undefined && { detail }) });
  }
  return out;
}

/** Reads up to `max` bytes of the body as UTF-8 and cancels the rest. Never throws. */
export async function readCappedText(response: TransportResponse, max: number): Promise<string> {
  if (!response.body || response.bodyUsed || response.body.locked) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.subarray(0, max - total));
      total += Math.min(value.byteLength, max - total);
    }
  } catch {
    // A body cut off mid-way still gives us what arrived; the status says enough.
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}
