/**
 * A request that got no HTTP answer: refused or reset connections, DNS and TLS failures, timeouts,
 * and redirects we will not follow. The message names the method and the redacted URL, and says
 * what happened in words; the undici error stays available as `cause` (retry decisions read it).
 */
import { redactUrl } from './redact';

/** What kind of failure left a request without an HTTP answer. */
export type NetworkErrorCode =
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'TIMEOUT'
  | 'DNS'
  | 'TLS'
  | 'TOO_MANY_REDIRECTS'
  | 'INSECURE_REDIRECT'
  | 'OTHER';

/** Node/undici error codes mapped to a NetworkErrorCode and a phrase for the message. */
const KNOWN: Record<string, [NetworkErrorCode, string]> = {
  ECONNREFUSED: ['CONNECTION_REFUSED', 'connection refused (is the registry running at this address?)'],
  ECONNRESET: ['CONNECTION_RESET', 'connection reset'],
  EPIPE: ['CONNECTION_RESET', 'connection closed while sending'],
  UND_ERR_SOCKET: ['CONNECTION_RESET', 'connection closed by the other side'],
  UND_ERR_CLOSED: ['CONNECTION_RESET', 'connection closed'],
  ETIMEDOUT: ['TIMEOUT', 'connection timed out'],
  UND_ERR_CONNECT_TIMEOUT: ['TIMEOUT', 'connect timed out'],
  UND_ERR_HEADERS_TIMEOUT: ['TIMEOUT', 'no response headers in time'],
  UND_ERR_BODY_TIMEOUT: ['TIMEOUT', 'response body stalled'],
  ENOTFOUND: ['DNS', 'host not found'],
  EAI_AGAIN: ['DNS', 'temporary DNS failure'],
};

/** A request that got no HTTP answer; `cause` holds the undici error. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  /** The redacted URL. */
  readonly url: string;
  readonly method: string;

  constructor(
    readonly code: NetworkErrorCode,
    method: string,
    url: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${method.toUpperCase()} ${redactUrl(url)}: ${detail}`, options);
    this.method = method.toUpperCase();
    this.url = redactUrl(url);
  }

  /** True when `err` is a NetworkError (of `code`, when given). */
  static is(err: unknown, code?: NetworkErrorCode): err is NetworkError {
    return err instanceof NetworkError && (code === undefined || err.code === code);
  }

  /** Wraps an error thrown by fetch, naming what went wrong from the first known code in its cause chain. */
  static fromFetchError(method: string, url: string, err: unknown): NetworkError {
    let current: unknown = err;
    for (let depth = 0; depth < 6 && current != null; depth++) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string') {
        const known = Object.hasOwn(KNOWN, code) ? KNOWN[code] : undefined;
        if (known) return new NetworkError(known[0], method, url, `${known[1]} (${code})`, { cause: err });
        if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
          return new NetworkError('TLS', method, url, `TLS certificate problem (${code}); a private CA goes in NODE_EXTRA_CA_CERTS`, { cause: err });
        }
      }
      current = (current as { cause?: unknown }).cause;
    }
    const message = err instanceof Error ? describeCause(err) : String(err);
    return new NetworkError('OTHER', method, url, message, { cause: err });
  }
}

/** The innermost message, without any URL it might carry. */
function describeCause(err: Error): string {
  let current: Error = err;
  while (current.cause instanceof Error) current = current.cause;
  return current.message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, (u) => redactUrl(u));
}
