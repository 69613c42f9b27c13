/**
 * Sorts failures into what the tree can offer to do about them: sign in again or edit credentials
 * (401/403), retry (network), or nothing but the message. Decided from structured fields (status,
 * `code`, the cause chain), never from message text.
 */

export type ErrorKind = 'auth' | 'forbidden' | 'notFound' | 'network' | 'cancelled' | 'other';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED',
]);

/** Thrown when an Azure action needs a session and there is none; the tree offers "Sign in". */
export class SignInRequiredError extends Error {
  readonly code = 'signInRequired';
  constructor(message = 'Sign in to Azure to list your registries') {
    super(message);
    this.name = 'SignInRequiredError';
  }
  static is(err: unknown): err is SignInRequiredError {
    return err instanceof Error && (err as { code?: unknown }).code === 'signInRequired';
  }
}

/** True for an AbortSignal's rejection (DOMException or Error named AbortError). */
export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** Classifies an error thrown by the core or by ARM calls. */
export function classifyError(err: unknown): ErrorKind {
  if (isAbortError(err)) return 'cancelled';
  if (SignInRequiredError.is(err)) return 'auth';
  const status = statusOf(err);
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  return causes(err).some(isNetworkFailure) ? 'network' : 'other';
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown; statusCode?: unknown } | undefined)?.status
    ?? (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function isNetworkFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  // undici's fetch rejects with TypeError('fetch failed') whose cause carries the socket error.
  return err instanceof TypeError && (err as { cause?: unknown }).cause !== undefined && /fetch failed/.test(err.message);
}

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e && typeof e === 'object' && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/** The message to show for an error: its own message, plus its cause's when that adds something. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && !err.message.includes(cause.message)) return `${err.message}: ${cause.message}`;
  return err.message;
}
